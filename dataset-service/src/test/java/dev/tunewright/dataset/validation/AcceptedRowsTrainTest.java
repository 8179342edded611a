package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.dataset.TinyBaseModel;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.TrainingData;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every row shape the upload validation accepts trains: each accepted row, read by training's own reader
 * ({@link TrainingData}) and encoder, with and without a chat template and with and without training on inputs,
 * is kept. The chat shapes are enumerated (every role sequence up to four messages, every weight an assistant reply
 * may carry, with and without names), so a rule added to one side only fails here.
 */
class AcceptedRowsTrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROLES = List.of("system", "user", "assistant");
    private static final ValidationLimits LIMITS = ValidationLimits.DEFAULTS;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "chat template {0}, train on inputs {1}")
    @CsvSource({"true, false", "false, false", "true, true", "false, true"})
    void everyAcceptedRowIsKeptByTraining(boolean template, boolean trainOnInputs) throws IOException {
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String row : candidates()) {
            (accepted(row) ? accepted : refused).add(row);
        }
        assertThat(accepted).as("accepted shapes").hasSizeGreaterThan(500);
        assertThat(refused).as("shapes the validation refuses (no trainable reply, tool role, weights off replies)")
                .isNotEmpty();
        Path file = dir.resolve("accepted.jsonl");
        Files.write(file, accepted, StandardCharsets.UTF_8);
        Path model = TinyBaseModel.write(dir.resolve("model"), template ? TinyBaseModel.CHATML : null);
        try (TextTokenizer tokenizer = TextTokenizer.open(model)) {
            ExampleEncoder encoder = new ExampleEncoder(tokenizer, ChatFormatter.forFolder(model, tokenizer),
                    DataOptions.of(4096).withTrainOnInputs(trainOnInputs));
            DataReport report = TrainingData.stream(file, encoder, example -> { });
            assertThat(report.errors()).as("accepted by the dataset service, refused by training").isEmpty();
            assertThat(report.kept()).isEqualTo(accepted.size());
        }
    }

    /** Whether the upload scan accepts {@code row} as a file of its own. */
    private static boolean accepted(String row) throws IOException {
        ScanResult scan = new DatasetScanner(LIMITS, Dedup.NONE)
                .scan(new ByteArrayInputStream((row + "\n").getBytes(StandardCharsets.UTF_8)));
        return scan.valid();
    }

    /** Rows of every format, valid and not: the validation decides which ones the test feeds to training. */
    private static List<String> candidates() throws IOException {
        List<String> rows = new ArrayList<>(List.of(
                "{\"instruction\":\"say hi\",\"output\":\"hello\"}",
                "{\"instruction\":\"say hi\",\"input\":\"bob\",\"output\":\"hello bob\"}",
                "{\"instruction\":\"say hi\",\"input\":\"\",\"output\":\"hello\"}",
                "{\"instruction\":\"say hi\",\"input\":null,\"output\":\"hello\"}",
                "{\"output\":\"hello\",\"instruction\":\"say  hi \\n\"}",
                "{\"prompt\":\"say hi\",\"completion\":\"hello there\"}",
                "{\"prompt\":\"how are you\",\"completion\":\" fine thanks\"}",
                "{\"prompt\":\"say hi\",\"completion\":\"héllo \\ud83d\\ude00\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"tool\",\"content\":\"fine\"},"
                        + "{\"role\":\"assistant\",\"content\":\"fine\"}]}"));
        String[] contents = {"be brief", "hi", "hello there", "how are you", "fine thanks"};
        for (int length = 1; length <= 4; length++) {
            for (List<String> roles : sequences(length)) {
                for (List<Object> weights : weightings(roles)) {
                    for (boolean named : new boolean[] {false, true}) {
                        ObjectNode row = JSON.createObjectNode();
                        ArrayNode messages = row.putArray("messages");
                        for (int i = 0; i < length; i++) {
                            ObjectNode m = messages.addObject().put("role", roles.get(i))
                                    .put("content", roles.get(i).equals("system") && i == 0 ? "" : contents[i % contents.length]);
                            if (weights.get(i) != null) {
                                m.put("weight", (Integer) weights.get(i));
                            }
                            if (named && !roles.get(i).equals("system")) {
                                m.put("name", roles.get(i).equals("user") ? "ann" : "bob");
                            }
                        }
                        rows.add(JSON.writeValueAsString(row));
                    }
                }
            }
        }
        return rows;
    }

    /** Every role sequence of {@code length} messages. */
    private static List<List<String>> sequences(int length) {
        return product(Collections.nCopies(length, ROLES));
    }

    /** Each message's weight: none, 0 or 1 on assistant replies; none or 1 elsewhere (which the validation refuses). */
    private static List<List<Object>> weightings(List<String> roles) {
        List<List<Object>> options = new ArrayList<>();
        for (String role : roles) {
            options.add(role.equals("assistant") ? Arrays.<Object>asList(null, 0, 1) : Collections.<Object>singletonList(null));
        }
        List<List<Object>> out = product(options);
        out.add(new ArrayList<>(Collections.nCopies(roles.size(), (Object) 1)));
        return out;
    }

    /** Every choice of one element per list, in order. */
    private static <T> List<List<T>> product(List<List<T>> options) {
        List<List<T>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (List<T> choices : options) {
            List<List<T>> longer = new ArrayList<>();
            for (List<T> prefix : out) {
                for (T choice : choices) {
                    List<T> next = new ArrayList<>(prefix);
                    next.add(choice);
                    longer.add(next);
                }
            }
            out = longer;
        }
        return out;
    }
}
