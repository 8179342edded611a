package dev.tunewright.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A held-out split read as evaluation examples: each row becomes the conversation training made of it (the one
 * row contract, {@link RowContract}), the last assistant reply is the reference answer and everything
 * before it the prompt.
 */
public final class HeldOutRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One example: the prompt messages (role and content), the reference answer and the row's line in the split. */
    public record Row(long line, List<Map<String, Object>> prompt, String expected) {
    }

    /** The rows read and how many the split had in all (more than read when cut at {@code limit}). */
    public record Read(List<Row> rows, long total) {
    }

    private HeldOutRows() {
    }

    /**
     * @throws EvaluationException naming the split and line when a row is not a usable example
     */
    public static Read read(InputStream jsonl, String splitName, int limit) throws IOException {
        List<Row> rows = new ArrayList<>();
        long total = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(jsonl, StandardCharsets.UTF_8))) {
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                total++;
                if (rows.size() < limit) {
                    rows.add(row(line, splitName, lineNo));
                }
            }
        }
        if (rows.isEmpty()) {
            throw new EvaluationException("the " + splitName + " split has no rows to evaluate on");
        }
        return new Read(rows, total);
    }

    static Row row(String line, String splitName, long lineNo) {
        List<Map<String, Object>> messages;
        int last;
        try {
            JsonNode node = JSON.readTree(line);
            var row = RowContract.read(node);
            messages = row.templateMessages();
            last = row.lastAssistant();
        } catch (IOException | RowException e) {
            throw new EvaluationException(splitName + " split line " + lineNo + ": not a usable example: " + e.getMessage());
        }
        if (last < 1) {
            throw new EvaluationException(splitName + " split line " + lineNo
                    + ": needs a prompt followed by an assistant reply to compare against");
        }
        return new Row(lineNo, List.copyOf(messages.subList(0, last)), String.valueOf(messages.get(last).get("content")));
    }
}
