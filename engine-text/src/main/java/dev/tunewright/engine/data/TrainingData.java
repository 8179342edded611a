package dev.tunewright.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.rows.Row;
import dev.tunewright.engine.rows.RowContract;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A JSONL training file as tokenized examples, each line held to the platform's row contract
 * ({@link RowContract}) before it is encoded. The file is read line by line so its size is bounded by the
 * tokens kept, not by the text. Every bad line is reported (file and line) before anything is trained, so a
 * team fixes a file in one pass rather than one failed run per bad row; blank lines are skipped.
 */
public record TrainingData(List<TokenizedExample> examples, DataReport report) {

    private static final ObjectMapper JSON = RowContract.json();

    public TrainingData {
        examples = List.copyOf(examples);
    }

    /**
     * All examples of {@code jsonl} in file order.
     *
     * @throws DataException when any example is unusable (bad JSON, unknown shape, nothing to train, a trained
     *                       reply cut by max_seq_length); it carries the full report
     */
    public static TrainingData read(Path jsonl, ExampleEncoder encoder) throws IOException {
        List<TokenizedExample> examples = new ArrayList<>();
        DataReport report = stream(jsonl, encoder, examples::add);
        if (report.hasErrors()) {
            throw new DataException(report);
        }
        return new TrainingData(examples, report);
    }

    /** Hands each usable example to {@code sink} as it is read; unusable ones are only listed in the report. */
    public static DataReport stream(Path jsonl, ExampleEncoder encoder, Consumer<TokenizedExample> sink) throws IOException {
        DataReport.Builder report = new DataReport.Builder(jsonl);
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                try {
                    TokenizedExample example = encoder.encode(row(line), lineNo);
                    report.kept(example);
                    sink.accept(example);
                } catch (ExampleException | IllegalArgumentException e) {
                    report.dropped(lineNo, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new IOException(jsonl + ": cannot be read as UTF-8 text: " + e.getMessage(), e);
        }
        return report.build();
    }

    /** The line as a row of the contract, or an exception naming every problem. */
    private static Row row(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ExampleException("not valid JSON: " + e.getOriginalMessage());
        }
        return RowContract.read(node);
    }
}
