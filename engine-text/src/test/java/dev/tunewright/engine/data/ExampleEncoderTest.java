package dev.tunewright.engine.data;

import static dev.tunewright.engine.data.TinyChat.CHATML;
import static dev.tunewright.engine.data.TinyChat.I;
import static dev.tunewright.engine.data.TinyChat.id;
import static dev.tunewright.engine.data.TinyChat.ids;
import static dev.tunewright.engine.data.TinyChat.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowException;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TextTokenizer tok;

    @BeforeAll
    static void open(@TempDir Path dir) throws Exception {
        tok = TinyChat.tokenizer(dir);
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    private static TokenizedExample encode(String template, DataOptions options, String row) throws Exception {
        return TinyChat.encoder(tok, template, options).encode(RowContract.read(JSON.readTree(row)), 7);
    }

    @Test
    void alpacaTrainsTheReplyAndItsEndOfTurn() throws Exception {
        TokenizedExample e = encode(CHATML, DataOptions.of(64), "{\"instruction\":\"translate\",\"input\":\"chat\",\"output\":\"cat\"}");
        assertThat(e.inputIds()).containsExactly(ids("<|im_start|> user translate chat <|im_end|> <|im_start|> assistant cat <|im_end|>"));
        assertThat(e.labels()).containsExactly(I, I, I, I, I, I, I, id("cat"), TinyChat.END);
        assertThat(e.trainableTokens()).isEqualTo(2);
        assertThat(e.sourceLine()).isEqualTo(7);
        assertThat(e.truncated()).isFalse();
    }

    @Test
    void promptCompletion() throws Exception {
        TokenizedExample e = encode(CHATML, DataOptions.of(64), "{\"prompt\":\"2+2=\",\"completion\":\"4\"}");
        assertThat(e.inputIds()).containsExactly(ids("<|im_start|> user 2 + 2 = <|im_end|> <|im_start|> assistant 4 <|im_end|>"));
        assertThat(e.labels()).containsExactly(I, I, I, I, I, I, I, I, I, id("4"), TinyChat.END);
    }

    @Test
    void chatTrainsOnlyAssistantMessagesOfWeightOne() throws Exception {
        String row = "{\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":0},{\"role\":\"user\",\"content\":\"how are you\"},"
                + "{\"role\":\"assistant\",\"content\":\"fine thanks\"}]}";
        TokenizedExample e = encode(CHATML, DataOptions.of(64), row);
        assertThat(e.inputIds()).containsExactly(ids("<|im_start|> system be brief <|im_end|> <|im_start|> user hi <|im_end|>"
                + " <|im_start|> assistant hello <|im_end|> <|im_start|> user how are you <|im_end|>"
                + " <|im_start|> assistant fine thanks <|im_end|>"));
        int n = e.length();
        assertThat(Arrays.copyOfRange(e.labels(), 0, n - 3)).containsOnly(I);
        assertThat(Arrays.copyOfRange(e.labels(), n - 3, n)).containsExactly(ids("fine thanks <|im_end|>"));

        TokenizedExample both = encode(CHATML, DataOptions.of(64), row.replace(",\"weight\":0", ""));
        assertThat(both.trainableTokens()).isEqualTo(2 + 3);
        assertThat(both.labels()[11]).isEqualTo(id("hello"));
        assertThat(both.labels()[12]).isEqualTo(TinyChat.END);
        assertThat(both.labels()[13]).isEqualTo(I);
    }

    @Test
    void trainOnInputsTrainsEverythingButTheFirstToken() throws Exception {
        TokenizedExample e = encode(CHATML, DataOptions.of(64).withTrainOnInputs(true), "{\"prompt\":\"hi\",\"completion\":\"hello\"}");
        int[] expected = e.inputIds();
        expected[0] = I;
        assertThat(e.labels()).containsExactly(expected);
        assertThat(e.trainableTokens()).isEqualTo(e.length() - 1);
    }

    @Test
    void withoutTemplatePromptAndReplyArePlainTextWithBosAndATrainedEos() throws Exception {
        TokenizedExample e = encode(null, DataOptions.of(64), "{\"instruction\":\"say hi\",\"output\":\"hello there\"}");
        assertThat(e.inputIds()).containsExactly(TinyChat.BOS, id("say"), id("hi"), id("hello"), id("there"), TinyChat.EOS);
        assertThat(e.labels()).containsExactly(I, I, I, id("hello"), id("there"), TinyChat.EOS);
        TokenizedExample chat = encode(null, DataOptions.of(64), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":0},{\"role\":\"user\",\"content\":\"bye\"},"
                + "{\"role\":\"assistant\",\"content\":\"bye\"}]}");
        assertThat(chat.inputIds()).containsExactly(TinyChat.BOS, id("hi"), id("hello"), TinyChat.EOS, id("bye"), id("bye"), TinyChat.EOS);
        assertThat(chat.labels()).containsExactly(I, I, I, I, I, id("bye"), TinyChat.EOS);
    }

    @Test
    void onlyTheFirstEndOfTurnIsTrainedWhenTheTemplateClosesTheConversationWithEos() throws Exception {
        String phiLike = CHATML.replace("{% endif %}", "{% else %}{{ eos_token }}{% endif %}");
        TokenizedExample e = encode(phiLike, DataOptions.of(64), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\"},{\"role\":\"user\",\"content\":\"bye\"},"
                + "{\"role\":\"assistant\",\"content\":\"bye\"}]}");
        assertThat(e.inputIds()).endsWith(ids("assistant bye <|im_end|> </s>"));
        assertThat(e.labels()).containsExactly(I, I, I, I, I, I, id("hello"), TinyChat.END, I, I, I, I, I, I, id("bye"), TinyChat.END, I);
    }

    @Test
    void truncationKeepsTheBeginningUnlessItCutsATrainedReply() throws Exception {
        String row = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"},"
                + "{\"role\":\"user\",\"content\":\"how are you\"}]}";
        TokenizedExample cut = encode(CHATML, DataOptions.of(10), row);
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.inputIds()).containsExactly(ids("<|im_start|> user hi <|im_end|> <|im_start|> assistant hello <|im_end|> <|im_start|> user"));
        assertThat(cut.trainableTokens()).isEqualTo(2);
        assertThatThrownBy(() -> encode(CHATML, DataOptions.of(7), row))
                .isInstanceOf(ExampleException.class)
                .hasMessageContaining("14 tokens").hasMessageContaining("max_seq_length 7")
                .hasMessageContaining("raise max_seq_length or shorten the example");
    }

    @Test
    void nothingToTrainIsAnError() {
        assertThatThrownBy(() -> encode(CHATML, DataOptions.of(64), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":0}]}"))
                .isInstanceOf(RowException.class).hasMessageContaining("no trainable tokens");
        assertThatThrownBy(() -> encode(CHATML, DataOptions.of(64), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .hasMessageContaining("no trainable tokens");
    }

    @Test
    void badRolesAndWeightsAreRefused() {
        assertThatThrownBy(() -> encode(CHATML, DataOptions.of(64), "{\"messages\":[{\"role\":\"tool\",\"content\":\"hi\"}]}"))
                .isInstanceOf(RowException.class).hasMessageContaining("messages[0].role: tool messages are not supported yet");
        assertThatThrownBy(() -> encode(CHATML, DataOptions.of(64), "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\",\"weight\":0.5}]}"))
                .isInstanceOf(RowException.class).hasMessageContaining("messages[1].weight: must be 0 or 1, was 0.5");
    }

    @Test
    void aBoundaryInsideATokenIsRefusedRatherThanShiftingLabels() {
        String glued = "{% for m in messages %}<|im_start|>{{ m.role }}{{ m.content }}<|im_end|>{% endfor %}"
                + "{% if add_generation_prompt %}<|im_start|>assistant{% endif %}";
        assertThatThrownBy(() -> encode(glued, DataOptions.of(64), "{\"prompt\":\"hi\",\"completion\":\"hello\"}"))
                .hasMessageContaining("inside a token");
    }

    @Test
    void aTemplateWithoutEndOfTurnTokenIsRefused() {
        String noEnd = "{% for m in messages %}{{ m.role }} {{ m.content }} {% endfor %}{% if add_generation_prompt %}assistant {% endif %}";
        assertThatThrownBy(() -> encode(noEnd, DataOptions.of(64), "{\"prompt\":\"hi\",\"completion\":\"hello\"}"))
                .hasMessageContaining("no end-of-turn or EOS token after assistant message 2");
    }

    @Test
    void messagesWithWeightsReachNoTemplate() throws Exception {
        String strict = "{% for m in messages %}{% if m.weight is defined %}{{ raise_exception('weight seen') }}{% endif %}"
                + "<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
        TokenizedExample e = TinyChat.encoder(tok, strict, DataOptions.of(64))
                .encode(List.of(msg("user", "hi"), msg("assistant", "hello", 1)), 1);
        assertThat(e.trainableTokens()).isEqualTo(2);
    }
}
