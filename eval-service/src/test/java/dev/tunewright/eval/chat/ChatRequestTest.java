package dev.tunewright.eval.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.config.EvalConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI request fields as the endpoint reads them, and the refusals that name the offending field. */
class ChatRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EvalConfig.Chat LIMITS = new EvalConfig.Chat() {
        @Override
        public int defaultMaxTokens() {
            return 256;
        }

        @Override
        public int maxTokensLimit() {
            return 1000;
        }

        @Override
        public int maxMessages() {
            return 8;
        }
    };

    private static ChatRequest parse(String json) throws Exception {
        return ChatRequest.parse(JSON.readTree(json), LIMITS);
    }

    private static String refusedParam(String json) {
        try {
            parse(json);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            return e.param();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void readsOpenAisFields() throws Exception {
        ChatRequest r = parse("""
                {"model": "ft:tiny:acme:x:ftjob-1", "messages": [{"role": "developer", "content": "be brief"},
                 {"role": "user", "content": [{"type": "text", "text": "hi "}, {"type": "text", "text": "there"}]}],
                 "max_completion_tokens": 12, "max_tokens": 20, "temperature": 0, "top_p": 0.5, "seed": 7,
                 "stop": "\\n", "stream": true, "stream_options": {"include_usage": true}, "user": "u-1", "n": 1}""");
        assertThat(r.model()).isEqualTo("ft:tiny:acme:x:ftjob-1");
        assertThat(r.messages()).containsExactly(Map.of("role", "system", "content", "be brief"),
                Map.of("role", "user", "content", "hi there"));
        assertThat(r.maxTokens()).isEqualTo(12);
        assertThat(r.temperature()).isZero();
        assertThat(r.topP()).isEqualTo(0.5);
        assertThat(r.seed()).isEqualTo(7L);
        assertThat(r.stop()).containsExactly("\n");
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        ChatRequest defaults = parse("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
        assertThat(defaults.maxTokens()).isNull();
        assertThat(defaults.temperature()).isEqualTo(1.0);
        assertThat(defaults.stop()).isEmpty();
        assertThat(defaults.stream()).isFalse();
    }

    @Test
    void refusesWhatWouldChangeTheAnswerNamingTheField() {
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        assertThat(refusedParam("{" + messages + "}")).isEqualTo("model");
        assertThat(refusedParam("{\"model\": \"m\", \"messages\": []}")).isEqualTo("messages");
        assertThat(refusedParam("{\"model\": \"m\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}"))
                .isEqualTo("messages[0].role");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"n\": 2}")).isEqualTo("n");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"max_tokens\": 5000}")).isEqualTo("max_tokens");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"temperature\": 3}")).isEqualTo("temperature");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"tools\": [{\"type\": \"function\"}]}")).isEqualTo("tools");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"logprobs\": true}")).isEqualTo("logprobs");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}"))
                .isEqualTo("stop");
        assertThat(refusedParam("{\"model\": \"m\", " + messages + ", \"response_format\": {\"type\": \"json_object\"}}"))
                .isEqualTo("response_format");
        assertThat(refusedParam("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": "
                + "[{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}")).isEqualTo("messages[0].content");
    }

    @Test
    void aStreamHoldsBackWhatMayBecomeAStopString() {
        assertThat(ChatService.TextStream.safeLength("hello wor", List.of("world"))).isEqualTo(6);
        assertThat(ChatService.TextStream.safeLength("hello world and", List.of("world"))).isEqualTo(6);
        assertThat(ChatService.TextStream.safeLength("hello", List.of("END"))).isEqualTo(5);
        assertThat(ChatService.TextStream.safeLength("hello E", List.of("END", "\n"))).isEqualTo(6);
    }
}
