package dev.tunewright.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.engine.chat.jinja.PlainValues;
import dev.tunewright.engine.chat.jinja.TemplateFunctions;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendered conversation of the golden files, byte for byte, and its ids. */
class ChatTemplateGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3.2", "qwen2.5", "gemma2"})
    void rendersEveryConversationAndItsIds(String family) throws Exception {
        Path dir = TokenizerFixtures.family(family);
        JsonNode golden = TokenizerFixtures.golden(dir);
        ChatTemplate template = ChatTemplates.load(dir).orElseThrow();
        Map<String, Object> kwargs = plainMap(golden.path("options").path("render_kwargs"));
        SoftAssertions soft = new SoftAssertions();
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            Map<String, Object> vars = ChatTemplate.variables(
                    tok.specialTokens().bosText().orElse(null), tok.specialTokens().eosText().orElse(null), kwargs);
            for (JsonNode c : golden.path("conversations")) {
                String id = family + "/" + c.path("id").textValue();
                List<?> messages = (List<?>) PlainValues.ofJson(c.path("messages"));
                boolean agp = c.path("add_generation_prompt").booleanValue();
                if (c.has("error")) {
                    soft.assertThatThrownBy(() -> template.render(messages, agp, vars)).as(id)
                            .isInstanceOf(ChatTemplateException.class)
                            .hasMessageContaining(c.path("error").textValue());
                    continue;
                }
                String rendered = template.render(messages, agp, vars);
                soft.assertThat(rendered).as(id + " rendered").isEqualTo(c.path("rendered").textValue());
                int[] ids = new int[c.path("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = c.path("ids").get(i).intValue();
                }
                soft.assertThat(tok.encode(rendered, false)).as(id + " ids").containsExactly(ids);
            }
        }
        soft.assertAll();
    }

    @Test
    void phiTemplateRendersEveryConversation() throws Exception {
        Path dir = TokenizerFixtures.family("phi3.5");
        JsonNode golden = TokenizerFixtures.golden(dir);
        ChatTemplate template = ChatTemplate.of(Files.readString(dir.resolve("chat_template.jinja")));
        Map<String, Object> vars = plainMap(golden.path("options").path("special"));
        assertThat(golden.path("conversations").size()).isPositive();
        for (JsonNode c : golden.path("conversations")) {
            List<?> messages = (List<?>) PlainValues.ofJson(c.path("messages"));
            assertThat(template.render(messages, c.path("add_generation_prompt").booleanValue(), vars))
                    .as(c.path("id").textValue())
                    .isEqualTo(c.path("rendered").textValue());
        }
    }

    @Test
    void llamaWithoutDateStringUsesToday() throws Exception {
        Path dir = TokenizerFixtures.family("llama3.2");
        ChatTemplate template = ChatTemplates.load(dir).orElseThrow();
        String today = TemplateFunctions.strftime(java.time.ZonedDateTime.now(), "%d %b %Y");
        String out = template.render(List.of(Map.of("role", "user", "content", "hi")), true,
                ChatTemplate.variables("<|begin_of_text|>", "<|eot_id|>", Map.of()));
        assertThat(out).contains("Today Date: " + today + "\n");
    }

    @Test
    void gemmaRejectsNonAlternatingRoles() throws Exception {
        Path dir = TokenizerFixtures.family("gemma2");
        ChatTemplate template = ChatTemplates.load(dir).orElseThrow();
        assertThatThrownBy(() -> template.render(List.of(Map.of("role", "assistant", "content", "x")), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("Conversation roles must alternate");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(JsonNode n) {
        Object v = PlainValues.ofJson(n);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }
}
