package dev.tunewright.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatTemplateSandboxTest {

    private static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private static List<Map<String, Object>> user(String content) {
        return List.of(Map.of("role", "user", "content", content));
    }

    @Test
    void messageContentThatLooksLikeTemplateSyntaxRendersLiterally() {
        String content = "{{ 7*7 }} {% if true %}x{% endif %} {# c #} {{ raise_exception('boom') }}";
        String out = ChatTemplate.of(CHATML).render(user(content), true, Map.of());
        assertThat(out).isEqualTo("<|im_start|>user\n" + content + "<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void kwargsThatLookLikeTemplateSyntaxRenderLiterally() {
        String out = ChatTemplate.of("{{ bos_token }}{{ date_string }}").render(List.of(), false,
                Map.of("bos_token", "{{ 6*7 }}", "date_string", "{% for x in range(3) %}x{% endfor %}"));
        assertThat(out).isEqualTo("{{ 6*7 }}{% for x in range(3) %}x{% endfor %}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{{ ''.getClass() }}",
        "{{ messages.getClass() }}",
        "{{ messages[0].content.length() }}",
        "{{ messages[0].content.toUpperCase() }}",
        "{{ messages.append(1) }}",
        "{{ messages[0].clear() }}",
        "{% include 'other.jinja' %}",
        "{% import 'macros.jinja' as m %}",
        "{{ 'x' * 3 }}",
        "{{ messages | no_such_filter }}",
        "{{ messages[0].content.zfill(3) }}",
        "{% raw %}{{ x }}{% endraw %}",
        "{{ 'unclosed }}",
        "{{ strftime_now('%Q') }}",
        "{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}",
        "{{ empty }}",
        "{% if x lt 3 %}{% endif %}",
        "{{ messages | select | list }}",
    })
    void unsupportedOrUnsafeFailsLoudly(String template) {
        assertThatThrownBy(() -> ChatTemplate.of(template).render(user("hi"), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void falseStringsAreTruthyAsInPython() {
        var messages = List.of(Map.of("role", "assistant", "content", "False"), Map.of("role", "user", "content", "false"));
        String t = "{% for m in messages %}{% if m.content %}[{{ m.content }}]{% endif %}{{ 'y' if m.content else 'n' }}"
                + "{% if not m.content %}!{% endif %}{% endfor %}{{ messages[0].content | tojson }}{{ flag }}";
        assertThat(ChatTemplate.of(t).render(messages, false, Map.of("flag", "FALSE")))
                .isEqualTo("[False]y[false]y\"False\"FALSE");
    }

    @Test
    void scalarAttributesAreUndefinedNotJavaProperties() {
        assertThat(ChatTemplate.of("[{{ messages[0].content.class }}{{ messages[0].content.bytes }}{{ (1).class }}]")
                .render(user("hi"), false, Map.of())).isEqualTo("[]");
    }

    @Test
    void raiseExceptionCarriesTheTemplateMessage() {
        assertThatThrownBy(() -> ChatTemplate.of("{{ raise_exception('Only user and assistant roles') }}")
                .render(user("hi"), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("Only user and assistant roles");
    }

    @Test
    void outputSizeIsBounded() {
        String big = "x".repeat(1 << 20);
        assertThatThrownBy(() -> ChatTemplate.of("{% for i in range(100) %}{{ messages[0].content }}{% endfor %}")
                .render(user(big), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void runawayLoopsAreAborted() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ChatTemplate.of(
                "{% for i in range(10000) %}{% for j in range(10000) %}{% if j %}{% endif %}{% endfor %}{% endfor %}")
                .render(user("hi"), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("aborted");
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
        assertThatThrownBy(() -> ChatTemplate.of("{% for i in range(1000000) %}{% endfor %}").render(user("hi"), false, Map.of()))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("range()");
    }

    @Test
    void rangeFollowsPython() {
        assertThat(ChatTemplate.of("{{ range(3) | list }}|{{ range(1, 7, 2) | list }}|{{ range(5, 0, -2) | list }}|{{ range(0) | list }}")
                .render(List.of(), false, Map.of())).isEqualTo("[0, 1, 2]|[1, 3, 5]|[5, 3, 1]|[]");
    }

    @Test
    void inputsAreCopiedNotShared() {
        var messages = new java.util.ArrayList<Map<String, Object>>();
        messages.add(new java.util.HashMap<>(Map.of("role", "user", "content", "a")));
        ChatTemplate.of("{% set messages = messages[1:] %}{% set x = 1 %}").render(messages, false, Map.of());
        assertThat(messages).hasSize(1);
    }

    @Test
    void rejectsNonJsonInputs() {
        assertThatThrownBy(() -> ChatTemplate.of("{{ x }}").render(List.of(), false, Map.of("x", new Object())))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("not a plain JSON value");
    }

    @Test
    void namedTemplatesFromTokenizerConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), new ObjectMapper().writeValueAsString(Map.of(
                "chat_template", List.of(
                        Map.of("name", "default", "template", "D{{ messages | length }}"),
                        Map.of("name", "tool_use", "template", "T")))));
        assertThat(ChatTemplates.all(dir)).containsOnlyKeys("default", "tool_use");
        assertThat(ChatTemplates.load(dir).orElseThrow().render(user("x"), false, Map.of())).isEqualTo("D1");
        assertThat(ChatTemplates.load(dir, "tool_use").orElseThrow().render(user("x"), false, Map.of())).isEqualTo("T");
        assertThatThrownBy(() -> ChatTemplates.load(dir, "rag")).hasMessageContaining("rag").hasMessageContaining("tool_use");
    }

    @Test
    void jinjaFileWinsOverConfigAndMissingTemplateIsEmpty(@TempDir Path dir) throws Exception {
        assertThat(ChatTemplates.load(dir)).isEmpty();
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"C\"}");
        assertThat(ChatTemplates.load(dir).orElseThrow().render(List.of(), false, Map.of())).isEqualTo("C");
        Files.writeString(dir.resolve("chat_template.jinja"), "J\n");
        assertThat(ChatTemplates.load(dir).orElseThrow().render(List.of(), false, Map.of())).isEqualTo("J");
    }
}
