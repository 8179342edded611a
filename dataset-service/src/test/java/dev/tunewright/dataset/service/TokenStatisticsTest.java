package dev.tunewright.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.dataset.TinyBaseModel;
import dev.tunewright.dataset.validation.DatasetScanner;
import dev.tunewright.dataset.validation.Dedup;
import dev.tunewright.dataset.validation.RowEntry;
import dev.tunewright.dataset.validation.ValidationLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token lengths are those training encodes: the template's, or without one training's plain text, never another. */
class TokenStatisticsTest {

    private static final String ROWS = """
            {"messages":[{"role":"user","content":"say hi"},{"role":"assistant","content":"hello"}]}
            {"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},{"role":"assistant","content":"hello there"}]}
            """;

    @TempDir
    Path dir;

    private TokenStatistics measure(String template, Integer maxSeqLength) throws IOException {
        Path file = dir.resolve("rows.jsonl");
        Files.writeString(file, ROWS);
        List<RowEntry> rows;
        try (InputStream in = Files.newInputStream(file)) {
            rows = new DatasetScanner(ValidationLimits.DEFAULTS, Dedup.NONE).scan(in).rows();
        }
        Path model = TinyBaseModel.write(dir.resolve("model-" + (template == null ? "plain" : template.hashCode())), template);
        return TokenStatistics.measure("tiny", model, file, rows, maxSeqLength);
    }

    @Test
    void withoutATemplateTheLengthsAreTrainingsPlainText() throws IOException {
        // <s> say hi | hello </s>, and <s> be brief | hi | hello there </s>: contents encoded one by one, EOS after a reply
        TokenStatistics stats = measure(null, 6);
        assertThat(stats.chatTemplate()).isFalse();
        assertThat(stats.tokens().min()).isEqualTo(5);
        assertThat(stats.tokens().max()).isEqualTo(7);
        assertThat(stats.totalTokens()).isEqualTo(12);
        assertThat(stats.rowsOverMaxSeqLength()).isEqualTo(1);
        assertThat(stats.rowsRefused()).isZero();
    }

    @Test
    void withATemplateTheLengthsAreTheRenderedConversation() throws IOException {
        // <|im_start|> user say hi <|im_end|> <|im_start|> assistant hello <|im_end|>
        TokenStatistics stats = measure(TinyBaseModel.CHATML, null);
        assertThat(stats.chatTemplate()).isTrue();
        assertThat(stats.tokens().min()).isEqualTo(9);
        assertThat(stats.tokens().max()).isEqualTo(14);
        assertThat(stats.rowsOverMaxSeqLength()).isNull();
    }

    @Test
    void aRowTheBaseModelCannotTrainOnIsNamedNotMeasured() throws IOException {
        String noSystem = "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}"
                + "{% endif %}{% endfor %}" + TinyBaseModel.CHATML;
        TokenStatistics stats = measure(noSystem, null);
        assertThat(stats.rowsRefused()).isEqualTo(1);
        assertThat(stats.refusals()).singleElement().asString().startsWith("line 2: ").contains("System role not supported");
        assertThat(stats.tokens().max()).isEqualTo(9);
        assertThat(stats.totalTokens()).isEqualTo(9);
    }
}
