package dev.tunewright.engine.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything besides adapter and optimizer arrays that a resumed run needs to continue exactly: where it
 * is (step, data position), what decides its randomness, early-stopping bookkeeping and the metrics so
 * far. Randomness is a function of (seed, epoch) for the data order and (seed, step, micro-batch, layer) for
 * dropout, so
 * storing the seed and the position is storing the RNG state.
 *
 * @param step optimizer steps taken
 * @param epoch 0-based epoch of the next training sequence
 * @param cursor index of the next sequence in that epoch's shuffled order
 * @param fingerprint hash of everything that must not change across a resume (numerics and data)
 */
public record TrainerState(int step, int epoch, int cursor, long seed, long trainableTokensSeen,
                           Double bestValidationLoss, int evaluationsWithoutImprovement, String fingerprint,
                           List<StepMetrics> history) {

    public TrainerState {
        history = List.copyOf(history);
    }

    /** The state a checkpoint folder holds (its files are not verified here; see {@link Checkpoints#problem}). */
    public static TrainerState read(Path checkpoint) throws IOException {
        return RunFiles.readState(checkpoint);
    }

    static TrainerState start(long seed, String fingerprint) {
        return new TrainerState(0, 0, 0, seed, 0, null, 0, fingerprint, List.of());
    }

    /**
     * The dropout seed of one decoder layer in one micro-batch of optimizer step {@code step}: reseeding there makes
     * the position, not the past, decide the masks.
     */
    static int dropoutSeed(long seed, int step, int micro, int layer) {
        long z = seed * 0x9E3779B97F4A7C15L + (((long) step << 32) | ((long) micro << 16) | layer);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) (z ^ (z >>> 31));
    }
}
