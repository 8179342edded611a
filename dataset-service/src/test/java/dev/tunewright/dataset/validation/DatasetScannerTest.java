package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.engine.rows.RowFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DatasetScannerTest {

    private static ScanResult scan(String content) throws IOException {
        return scan(content.getBytes(StandardCharsets.UTF_8), ValidationLimits.DEFAULTS, Dedup.EXACT);
    }

    private static ScanResult scan(byte[] content, ValidationLimits limits, Dedup dedup) throws IOException {
        return new DatasetScanner(limits, dedup).scan(new ByteArrayInputStream(content));
    }

    private static Problem only(ScanResult result) {
        assertThat(result.problems()).hasSize(1);
        assertThat(result.valid()).isFalse();
        return result.problems().get(0);
    }

    @Test
    void detectsEachOfTheThreeFormats() throws IOException {
        assertThat(scan("{\"instruction\":\"Say hi\",\"input\":\"\",\"output\":\"hi\"}\n").format())
                .isEqualTo(RowFormat.ALPACA);
        assertThat(scan("{\"prompt\":\"2+2=\",\"completion\":\"4\"}\n").format())
                .isEqualTo(RowFormat.PROMPT_COMPLETION);
        ScanResult chat = scan("{\"messages\":[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":1}]}\n");
        assertThat(chat.format()).isEqualTo(RowFormat.CHAT);
        assertThat(chat.valid()).isTrue();
        assertThat(chat.rows()).hasSize(1);
    }

    @Test
    void invalidJsonNamesTheLine() throws IOException {
        Problem problem = only(scan("{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"a\",\n"));
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.code()).isEqualTo("invalid_json");
        assertThat(problem.describe()).startsWith("line 2: invalid JSON");
    }

    @Test
    void invalidUtf8NamesTheLineAndByte() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("{\"prompt\":\"ok\",\"completion\":\"fine\"}\n{\"prompt\":\"".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xC3);
        bytes.write(0x28);
        bytes.writeBytes("\",\"completion\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        Problem problem = only(scan(bytes.toByteArray(), ValidationLimits.DEFAULTS, Dedup.EXACT));
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.code()).isEqualTo("invalid_utf8");
        assertThat(problem.message()).contains("byte 12");
    }

    @Test
    void unknownFieldIsNamed() throws IOException {
        Problem problem = only(scan("{\"instruction\":\"a\",\"ouput\":\"b\",\"output\":\"c\"}\n"));
        assertThat(problem.field()).isEqualTo("ouput");
        assertThat(problem.code()).isEqualTo("unknown_field");
        assertThat(problem.describe()).isEqualTo(
                "line 1, field 'ouput': unknown field for the alpaca format (expected input, instruction, output)");
    }

    @Test
    void missingFieldIsNamed() throws IOException {
        Problem problem = only(scan("{\"prompt\":\"a\"}\n"));
        assertThat(problem.field()).isEqualTo("completion");
        assertThat(problem.code()).isEqualTo("missing_field");
    }

    @Test
    void emptyOutputIsAnError() throws IOException {
        Problem problem = only(scan("{\"instruction\":\"a\",\"output\":\"  \"}\n"));
        assertThat(problem.field()).isEqualTo("output");
        assertThat(problem.message()).startsWith("empty output");
    }

    @Test
    void wrongTypeSaysWhatItWas() throws IOException {
        Problem problem = only(scan("{\"prompt\":\"a\",\"completion\":42}\n"));
        assertThat(problem.field()).isEqualTo("completion");
        assertThat(problem.message()).isEqualTo("must be a string, was a number");
    }

    @Test
    void conversationWithoutAssistantReplyIsAnError() throws IOException {
        Problem problem = only(scan("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n"));
        assertThat(problem.code()).isEqualTo("no_assistant_reply");
        assertThat(problem.field()).isEqualTo("messages");
    }

    @Test
    void chatMessageProblemsNameTheMessage() throws IOException {
        ScanResult result = scan("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"bot\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\"},"
                + "{\"role\":\"assistant\",\"content\":\"ok\",\"weight\":2}]}\n");
        assertThat(result.problems()).extracting(Problem::field)
                .containsExactly("messages[1].role", "messages[2].content", "messages[3].weight");
    }

    @Test
    void toolMessagesAreRefusedAsTrainingWouldRefuseThem() throws IOException {
        Problem problem = only(scan("{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"tool\",\"content\":\"sunny\"},{\"role\":\"assistant\",\"content\":\"sunny\"}]}\n"));
        assertThat(problem.field()).isEqualTo("messages[1].role");
        assertThat(problem.code()).isEqualTo("unsupported_role");
        assertThat(problem.message()).startsWith("tool messages are not supported yet");
    }

    @Test
    void allAssistantTurnsWeightZeroIsAnError() throws IOException {
        Problem problem = only(scan("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"x\",\"weight\":0}]}\n"));
        assertThat(problem.code()).isEqualTo("no_trainable_reply");
    }

    @Test
    void lineOverTheLimitIsReportedWithItsLength() throws IOException {
        String longLine = "{\"prompt\":\"" + "a".repeat(100) + "\",\"completion\":\"b\"}";
        ScanResult result = scan(("{\"prompt\":\"a\",\"completion\":\"b\"}\n" + longLine + "\n{\"prompt\":\"c\",\"completion\":\"d\"}\n")
                .getBytes(StandardCharsets.UTF_8), new ValidationLimits(64, 100, 10, 8), Dedup.EXACT);
        Problem problem = only(result);
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.code()).isEqualTo("line_too_long");
        assertThat(problem.message()).contains(longLine.length() + " bytes").contains("limit is 64");
        assertThat(result.rows()).extracting(RowEntry::line).containsExactly(1L, 3L);
    }

    @Test
    void mixedFormatsNameTheDecidingLine() throws IOException {
        Problem problem = only(scan("{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"instruction\":\"a\",\"output\":\"b\"}\n"));
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.message()).contains("decided by line 1");
    }

    @Test
    void nonObjectAndUnrecognisedRowsAreErrors() throws IOException {
        ScanResult result = scan("[1,2]\n{\"text\":\"hello\"}\n");
        assertThat(result.problems()).extracting(Problem::code).containsExactly("not_an_object", "unknown_format");
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        assertThat(only(scan("\n\n")).code()).isEqualTo("empty_file");
        assertThat(only(scan("")).code()).isEqualTo("empty_file");
    }

    @Test
    void duplicateKeysInOneObjectAreInvalidJson() throws IOException {
        Problem problem = only(scan("{\"prompt\":\"a\",\"prompt\":\"b\",\"completion\":\"c\"}\n"));
        assertThat(problem.code()).isEqualTo("invalid_json");
        assertThat(problem.message()).contains("prompt");
    }

    @Test
    void rowLimitIsEnforced() throws IOException {
        ScanResult result = scan("{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"c\",\"completion\":\"d\"}\n"
                .getBytes(StandardCharsets.UTF_8), new ValidationLimits(1024, 1, 10, 8), Dedup.EXACT);
        assertThat(only(result).code()).isEqualTo("too_many_rows");
    }

    @Test
    void reportedProblemsAreBoundedButAllAreCounted() throws IOException {
        String bad = "not json\n".repeat(50);
        ScanResult result = scan(bad.getBytes(StandardCharsets.UTF_8), new ValidationLimits(1024, 100, 5, 8), Dedup.EXACT);
        assertThat(result.problems()).hasSize(5);
        assertThat(result.problemCount()).isEqualTo(50);
        assertThat(result.invalidLineCount()).isEqualTo(50);
    }

    @Test
    void exactAndNormalizedDedup() throws IOException {
        String content = "{\"prompt\":\"Hello  World\",\"completion\":\"A\"}\n"
                + "{\"prompt\":\"Hello  World\",\"completion\":\"A\"}\n"
                + "{\"prompt\":\"hello world\",\"completion\":\"a\"}\n";
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        ScanResult exact = scan(bytes, ValidationLimits.DEFAULTS, Dedup.EXACT);
        assertThat(exact.rows()).hasSize(2);
        assertThat(exact.duplicateLines()).containsExactly(2L);
        ScanResult normalized = scan(bytes, ValidationLimits.DEFAULTS, Dedup.NORMALIZED);
        assertThat(normalized.rows()).hasSize(1);
        assertThat(normalized.duplicateLines()).containsExactly(2L, 3L);
        assertThat(scan(bytes, ValidationLimits.DEFAULTS, Dedup.NONE).rows()).hasSize(3);
    }

    @Test
    void crlfBomAndBlankLinesAreTolerated() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(0xEF);
        bytes.write(0xBB);
        bytes.write(0xBF);
        bytes.writeBytes("{\"prompt\":\"a\",\"completion\":\"b\"}\r\n\r\n{\"prompt\":\"c\",\"completion\":\"d\"}".getBytes(StandardCharsets.UTF_8));
        ScanResult result = scan(bytes.toByteArray(), ValidationLimits.DEFAULTS, Dedup.EXACT);
        assertThat(result.valid()).isTrue();
        assertThat(result.rows()).extracting(RowEntry::line).containsExactly(1L, 3L);
        assertThat(result.lines()).isEqualTo(3);
    }

    @Test
    void labelsAreCounted() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            content.append("{\"prompt\":\"item ").append(i).append("\",\"completion\":\"").append(i % 3 == 0 ? "spam" : "ham")
                    .append("\"}\n");
        }
        ScanResult result = scan(content.toString());
        assertThat(result.labels()).containsExactly(new LabelCount("spam", 3), new LabelCount("ham", 6));
    }
}
