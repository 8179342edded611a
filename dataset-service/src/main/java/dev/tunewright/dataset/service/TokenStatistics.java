package dev.tunewright.dataset.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.dataset.split.SplitWriter;
import dev.tunewright.dataset.validation.RowEntry;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.ExampleException;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowException;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Example lengths in the base model's tokens, counted by the encoder training uses ({@link ExampleEncoder}): each
 * row rendered with the model's chat template, or without one as training renders plain text (the tokenizer's
 * special tokens, contents encoded one by one, EOS after each reply), so the lengths are the ones the model will
 * train on. A row that this base model cannot train on (its template refuses a system message, a reply boundary
 * falls inside a token) is counted and named instead of measured.
 *
 * @param tokens               lengths of the rows the encoder accepted
 * @param rowsOverMaxSeqLength rows longer than {@code max_seq_length} tokens (truncated or dropped in training),
 *                             null when no maximum was given
 * @param rowsRefused          rows the training encoder refuses for this base model
 * @param refusals             the first {@value #MAX_REFUSALS} of them, {@code line N: why}
 */
public record TokenStatistics(String baseModel, boolean chatTemplate, DatasetStatistics.Percentiles tokens,
        Integer maxSeqLength, Long rowsOverMaxSeqLength, long totalTokens, long rowsRefused, List<String> refusals) {

    static final int MAX_REFUSALS = 20;

    public static TokenStatistics measure(String baseModel, Path modelDir, Path file, List<RowEntry> rows,
            Integer maxSeqLength) throws IOException {
        ObjectMapper json = RowContract.json();
        int[] lengths = new int[rows.size()];
        List<String> refusals = new ArrayList<>();
        boolean chatTemplate;
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            Optional<ChatFormatter> formatter = ChatFormatter.forFolder(modelDir, tokenizer);
            chatTemplate = formatter.isPresent();
            // no cut: the full length is the statistic, max_seq_length only counts the rows over it
            ExampleEncoder encoder = new ExampleEncoder(tokenizer, formatter, DataOptions.of(Integer.MAX_VALUE));
            SplitWriter.forEachRow(file, rows, (index, bytes, offset, length) -> {
                long line = rows.get(index).line();
                try {
                    lengths[index] = encoder.encode(RowContract.read(json.readTree(bytes, offset, length)), line).length();
                } catch (ExampleException | RowException e) {
                    lengths[index] = -1;
                    if (refusals.size() < MAX_REFUSALS) {
                        refusals.add("line " + line + ": " + e.getMessage());
                    }
                }
            });
        }
        int[] measured = Arrays.stream(lengths).filter(l -> l >= 0).toArray();
        long total = 0;
        long over = 0;
        for (int length : measured) {
            total += length;
            if (maxSeqLength != null && length > maxSeqLength) {
                over++;
            }
        }
        return new TokenStatistics(baseModel, chatTemplate, DatasetStatistics.Percentiles.of(measured), maxSeqLength,
                maxSeqLength == null ? null : over, total, lengths.length - measured.length, List.copyOf(refusals));
    }
}
