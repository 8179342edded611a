package dev.tunewright.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatFormatterTest {

    @Test
    void rendersWithTheTokenizersSpecialTokensAndEncodesWithoutAddingMore(@TempDir Path dir) throws Exception {
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            try (var in = TextTokenizer.class.getResourceAsStream(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        Files.writeString(dir.resolve("chat_template.jinja"),
                "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}\n");
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            ChatFormatter f = ChatFormatter.forFolder(dir, tok).orElseThrow();
            ChatFormatter.Prompt p = f.prompt(List.of(Map.of("role", "user", "content", " hello world ")), false, Map.of());
            assertThat(p.text()).isEqualTo("<s> hello world </s>");
            assertThat(p.ids()).containsExactly(1, 5, 6, 2);
        }
    }
}
