package dev.tunewright.engine.data;

import static dev.tunewright.engine.data.TinyChat.CHATML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {

    private static TextTokenizer tok;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(@TempDir Path tokDir) throws Exception {
        tok = TinyChat.tokenizer(tokDir);
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private Path file(String... lines) throws Exception {
        Path f = dir.resolve("train.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void readsTheThreeShapesAndReports() throws Exception {
        Path f = file("\uFEFF{\"instruction\":\"translate\",\"input\":\"chat\",\"output\":\"cat\"}",
                "",
                "{\"prompt\":\"2+2=\",\"completion\":\"4\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"},"
                        + "{\"role\":\"user\",\"content\":\"how are you\"}]}");
        TrainingData data = TrainingData.read(f, TinyChat.encoder(tok, CHATML, DataOptions.of(11)));
        assertThat(data.examples()).extracting(TokenizedExample::sourceLine).containsExactly(1L, 3L, 4L);
        DataReport r = data.report();
        assertThat(r.kept()).isEqualTo(3);
        assertThat(r.truncated()).isEqualTo(1);
        assertThat(r.dropped()).isZero();
        assertThat(r.totalTokens()).isEqualTo(9 + 11 + 11);
        assertThat(r.trainableTokens()).isEqualTo(6);
        assertThat(r.minTrainableShare()).isEqualTo(2.0 / 11);
        assertThat(r.maxTrainableShare()).isCloseTo(2.0 / 9, within(1e-12));
        assertThat(r.meanTrainableShare()).isCloseTo((2.0 / 9 + 2.0 / 11 + 2.0 / 11) / 3, within(1e-12));
    }

    @Test
    void everyBadLineIsNamedBeforeAnythingIsTrained() throws Exception {
        Path f = file("{\"prompt\":\"hi\",\"completion\":\"hello\"}",
                "{\"prompt\":\"hi\",",
                "{\"text\":\"hello\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":0}]}",
                "[1]",
                "{\"prompt\":\"hi\"}",
                "{\"messages\":[{\"role\":\"user\",\"content\":[\"hi\"]}]}",
                "{\"prompt\":\"hi\",\"completion\":\"hello\"} trailing");
        assertThatThrownBy(() -> TrainingData.read(f, TinyChat.encoder(tok, CHATML, DataOptions.of(64))))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(f + ": 7 example(s) cannot be trained on")
                .hasMessageContaining(f + ":2: not valid JSON")
                .hasMessageContaining(f + ":3: not a training example")
                .hasMessageContaining(f + ":4: messages: the example has no trainable tokens")
                .hasMessageContaining(f + ":5: a row must be a JSON object")
                .hasMessageContaining(f + ":6: completion: required field is missing")
                .hasMessageContaining(f + ":7: messages[0].content: must be a string, was an array")
                .hasMessageContaining(f + ":8: not valid JSON")
                .satisfies(e -> assertThat(((DataException) e).report().kept()).isEqualTo(1));
    }

    @Test
    void streamHandsOutExamplesAndListsErrorsWithoutThrowing() throws Exception {
        Path f = file("{\"prompt\":\"hi\",\"completion\":\"hello\"}", "nope");
        List<TokenizedExample> seen = new ArrayList<>();
        DataReport r = TrainingData.stream(f, TinyChat.encoder(tok, CHATML, DataOptions.of(64)), seen::add);
        assertThat(seen).hasSize(1);
        assertThat(r.errors()).singleElement().asString().startsWith(f + ":2: not valid JSON");
        assertThat(r.hasErrors()).isTrue();
    }
}
