package dev.tunewright.engine.rows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conversation each format is, and the problems (field, code) of rows that break the contract. */
class RowContractTest {

    private final ObjectMapper json = RowContract.json();

    private Row row(String line) throws Exception {
        return RowContract.read(json.readTree(line));
    }

    private List<RowProblem> problems(String line) throws Exception {
        List<RowProblem> problems = new ArrayList<>();
        assertThat(RowContract.check(json.readTree(line), 3, problems)).as(line).isNull();
        return problems;
    }

    @Test
    void alpacaJoinsInstructionAndInputAsTheUserTurn() throws Exception {
        Row alpaca = row("{\"instruction\":\"Translate\",\"input\":\"chat\",\"output\":\"cat\"}");
        assertThat(alpaca.format()).isEqualTo(RowFormat.ALPACA);
        assertThat(alpaca.templateMessages()).containsExactly(Map.of("role", "user", "content", "Translate\n\nchat"),
                Map.of("role", "assistant", "content", "cat"));
        assertThat(row("{\"instruction\":\"Say hi\",\"output\":\"hi\"}").messages().get(0).content()).isEqualTo("Say hi");
        assertThat(row("{\"instruction\":\"Say hi\",\"input\":null,\"output\":\"hi\"}").messages().get(0).content())
                .isEqualTo("Say hi");
    }

    @Test
    void promptCompletionAndChatRows() throws Exception {
        Row pc = row("{\"prompt\":\"2+2=\",\"completion\":\"4\"}");
        assertThat(pc.format()).isEqualTo(RowFormat.PROMPT_COMPLETION);
        assertThat(pc.messages()).extracting(Message::role).containsExactly("user", "assistant");
        Row chat = row("{\"messages\":[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"u\",\"name\":\"ann\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\",\"weight\":0},{\"role\":\"user\",\"content\":\"again\"},"
                + "{\"role\":\"assistant\",\"content\":\"b\",\"weight\":1}]}");
        assertThat(chat.messages()).extracting(Message::trained).containsExactly(false, false, false, false, true);
        assertThat(chat.lastAssistant()).isEqualTo(4);
        assertThat(chat.messages().get(1).name()).isEqualTo("ann");
    }

    @Test
    void theTemplateSeesRoleContentAndNameButNeverTheWeightNorTheRepliesName() throws Exception {
        Row chat = row("{\"messages\":[{\"role\":\"user\",\"content\":\"u\",\"name\":\"ann\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\",\"weight\":1,\"name\":\"bot\"}]}");
        assertThat(chat.templateMessages()).containsExactly(Map.of("role", "user", "content", "u", "name", "ann"),
                Map.of("role", "assistant", "content", "a"));
    }

    @Test
    void toolMessagesAreRefusedByName() throws Exception {
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"tool\",\"content\":\"42\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"}]}"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("messages[1].role");
                    assertThat(p.code()).isEqualTo("unsupported_role");
                    assertThat(p.message()).startsWith("tool messages are not supported yet");
                });
    }

    @Test
    void everyProblemNamesItsField() throws Exception {
        assertThat(problems("{\"text\":\"x\"}")).extracting(RowProblem::code).containsExactly("unknown_format");
        assertThat(problems("{\"text\":\"x\"}").get(0).message()).isEqualTo(RowFormat.UNRECOGNISED);
        assertThat(problems("[1]")).extracting(RowProblem::describe).containsExactly("a row must be a JSON object, this one is an array");
        assertThat(problems("{\"prompt\":\"a\"}")).extracting(RowProblem::describe).containsExactly("completion: required field is missing");
        assertThat(problems("{\"instruction\":\"a\",\"ouput\":\"b\",\"output\":\"c\"}")).extracting(RowProblem::field)
                .containsExactly("ouput");
        assertThat(problems("{\"instruction\":\"a\",\"output\":\" \"}")).extracting(RowProblem::code).containsExactly("empty_value");
        assertThat(problems("{\"messages\":[{\"role\":\"bot\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"\"},"
                + "{\"role\":\"user\",\"content\":\"x\",\"weight\":1}]}")).extracting(RowProblem::field, RowProblem::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("messages[0].role", "unknown_role"),
                        org.assertj.core.groups.Tuple.tuple("messages[1].content", "empty_value"),
                        org.assertj.core.groups.Tuple.tuple("messages[2].weight", "invalid_weight"));
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":7},{\"role\":\"assistant\",\"content\":\"y\"}]}"))
                .extracting(RowProblem::field, RowProblem::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("messages[0].name", "wrong_type"));
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\",\"weight\":4294967296}]}"))
                .extracting(RowProblem::code).containsExactly("invalid_weight");
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"1\"},{\"role\":\"user\",\"content\":\"2\"},"
                + "{\"role\":\"user\",\"content\":\"3\"},{\"role\":\"assistant\",\"content\":\"y\"}]}"))
                .extracting(RowProblem::code).containsExactly("too_many_messages");
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\",\"weight\":0}]}"))
                .extracting(RowProblem::code).containsExactly("no_trainable_reply");
        assertThat(problems("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
                .extracting(RowProblem::code).containsExactly("no_assistant_reply");
    }

    @Test
    void messageMapsAreHeldToTheSameContract() {
        assertThat(RowContract.chat(List.of(Map.of("role", "user", "content", "hi"), Map.of("role", "assistant", "content", "yo",
                "weight", 1))).messages()).extracting(Message::trained).containsExactly(false, true);
        assertThatThrownBy(() -> RowContract.chat(List.of(Map.of("role", "tool", "content", "hi"))))
                .isInstanceOf(RowException.class).hasMessageContaining("messages[0].role: tool messages are not supported yet")
                .satisfies(e -> assertThat(((RowException) e).problems()).extracting(RowProblem::code)
                        .containsExactly("unsupported_role"));
    }

    @Test
    void duplicateKeysAndTrailingTextAreNotJson() {
        assertThatThrownBy(() -> json.readTree("{\"prompt\":\"a\",\"prompt\":\"b\",\"completion\":\"c\"}"))
                .hasMessageContaining("prompt");
        assertThatThrownBy(() -> json.readTree("{\"prompt\":\"a\",\"completion\":\"c\"} x")).isNotNull();
    }
}
