package dev.tunewright.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Packs examples into sequences of at most {@code maxSeqLength} tokens by first-fit decreasing: longest
 * example first, each into the earliest-opened sequence it still fits in, ties kept in file order. FFD wastes
 * far fewer padding tokens than packing greedily in file order, at the price of grouping similar lengths;
 * the trainer shuffles the packed sequences anyway. The result depends only on the examples' lengths and
 * order, so a rerun packs identically. Within a sequence, examples keep their file order.
 */
public final class SequencePacker {

    private SequencePacker() {
    }

    public static List<PackedSequence> pack(List<TokenizedExample> examples, int maxSeqLength) {
        Integer[] order = IntStream.range(0, examples.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -examples.get(i).length()).thenComparingInt(i -> i));
        FreeSpace free = new FreeSpace(examples.size(), maxSeqLength);
        List<List<Integer>> bins = new ArrayList<>();
        for (int i : order) {
            int length = examples.get(i).length();
            if (length > maxSeqLength) {
                throw new IllegalArgumentException("example of line " + examples.get(i).sourceLine() + " has " + length
                        + " tokens, more than the packed length " + maxSeqLength);
            }
            int bin = free.firstFit(length);
            if (bin == bins.size()) {
                bins.add(new ArrayList<>());
            }
            bins.get(bin).add(i);
        }
        List<PackedSequence> out = new ArrayList<>(bins.size());
        for (List<Integer> bin : bins) {
            out.add(concat(bin.stream().sorted().map(examples::get).toList()));
        }
        return out;
    }

    /** Examples end to end; positions restart and segments count up at each boundary. */
    static PackedSequence concat(List<TokenizedExample> parts) {
        int n = parts.stream().mapToInt(TokenizedExample::length).sum();
        int[] ids = new int[n];
        int[] labels = new int[n];
        int[] positions = new int[n];
        int[] segments = new int[n];
        long[] lines = new long[parts.size()];
        int at = 0;
        for (int s = 0; s < parts.size(); s++) {
            TokenizedExample e = parts.get(s);
            System.arraycopy(e.inputIds(), 0, ids, at, e.length());
            System.arraycopy(e.labels(), 0, labels, at, e.length());
            labels[at] = TokenizedExample.IGNORE;
            for (int i = 0; i < e.length(); i++) {
                positions[at + i] = i;
                segments[at + i] = s + 1;
            }
            lines[s] = e.sourceLine();
            at += e.length();
        }
        return new PackedSequence(ids, labels, positions, segments, lines);
    }

    /**
     * Remaining room of every possible sequence (at most one per example) in a max segment tree, so finding the
     * earliest sequence with room is logarithmic instead of a scan over all open sequences.
     */
    private static final class FreeSpace {
        private final int leaves;
        private final int[] tree;

        FreeSpace(int count, int capacity) {
            int size = 1;
            while (size < Math.max(1, count)) {
                size <<= 1;
            }
            leaves = size;
            tree = new int[2 * size];
            Arrays.fill(tree, capacity);
        }

        /** Index of the earliest sequence with room for {@code length} tokens, after taking that room. */
        int firstFit(int length) {
            int node = 1;
            while (node < leaves) {
                node = tree[2 * node] >= length ? 2 * node : 2 * node + 1;
            }
            tree[node] -= length;
            for (int p = node / 2; p >= 1; p /= 2) {
                tree[p] = Math.max(tree[2 * p], tree[2 * p + 1]);
            }
            return node - leaves;
        }
    }
}
