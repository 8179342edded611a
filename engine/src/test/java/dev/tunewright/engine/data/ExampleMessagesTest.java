package dev.tunewright.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleMessagesTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void alpacaJoinsInstructionAndInputAsTheUserTurn() throws Exception {
        assertThat(ExampleMessages.of(json.readTree("{\"instruction\":\"Translate\",\"input\":\"chat\",\"output\":\"cat\"}")))
                .containsExactly(Map.of("role", "user", "content", "Translate\n\nchat"),
                        Map.of("role", "assistant", "content", "cat"));
        assertThat(ExampleMessages.of(json.readTree("{\"instruction\":\"Say hi\",\"output\":\"hi\"}")).get(0))
                .containsEntry("content", "Say hi");
    }

    @Test
    void promptCompletionAndChatRows() throws Exception {
        assertThat(ExampleMessages.of(json.readTree("{\"prompt\":\"2+2=\",\"completion\":\"4\"}")))
                .extracting(m -> m.get("role")).containsExactly("user", "assistant");
        List<Map<String, Object>> chat = ExampleMessages.of(json.readTree("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                + "{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\",\"weight\":0}]}"));
        assertThat(chat).hasSize(3);
        assertThat(chat.get(2)).containsEntry("weight", 0).containsEntry("content", "a");
    }

    @Test
    void unknownShapeIsRefused() {
        assertThatThrownBy(() -> ExampleMessages.of(json.readTree("{\"text\":\"x\"}")))
                .hasMessageContaining("instruction/output, prompt/completion or messages");
    }
}
