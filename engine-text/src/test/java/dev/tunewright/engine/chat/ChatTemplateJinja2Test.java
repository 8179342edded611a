package dev.tunewright.engine.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whitespace control and expression semantics against Jinja2 3.1 ({@code ImmutableSandboxedEnvironment},
 * {@code trim_blocks}, {@code lstrip_blocks}, Hugging Face's {@code tojson}); each expected string
 * was produced by Jinja2 itself.
 */
class ChatTemplateJinja2Test {

    private static final String CONTEXT = "{\"messages\": [{\"role\": \"system\", \"content\": \"  sys {{ 7*7 }}\\n\"}, {\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{\"name\": \"f\", \"nested\": {\"b\": [1, 2.5, null, true]}, \"\\u00e9\": \"\\u00fc\\n\\\"q\\\"\"}], \"x\": true, \"xs\": [1, 2]}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{% for m in messages %}{% if m.role == 'user' %}{% generation %}<{{ m.role }}>\n{% endgeneration %}"
                        + "{% endif %}{% endfor %}.", "<user>\n."),
                Arguments.of("{% set ns = namespace(a=messages|length - 1, b='x') %}{{ ns.a }}{{ ns.b }}", "1x"),
                Arguments.of("{{ messages[::-1] | map(attribute='role') | join(',') }}", "user,system"),
                Arguments.of("{% for m in messages[::-1] %}{{ loop.index0 }}{{ m.role }}{% endfor %}", "0user1system"),
                Arguments.of("{{ messages | selectattr('role', 'equalto', 'user') | list | length == 1 }}", "True"),
                Arguments.of("a{  {%- if x %}b{% endif %}c{ \n{#- c -#} {d}", "a{bc{{d}"),
                Arguments.of("{{ tools[0].nested.b | string }}|{{ true | string }}|{{ 3 | string }}", "[1, 2.5, None, True]|True|3"),
                Arguments.of("{{ 'abc'[1:] }} {{ 'abc'[-1] }}{{ 'abc'[0] }}{{ 'abc'[5] }} {{ messages|map(attribute='role')|join(',') }}",
                        "bc ca system,user"),
                Arguments.of("{% set x = 1 %}{% for m in messages %}{% set x = 2 %}{% endfor %}{{ x }}", "1"),
                Arguments.of("{{ 10 / 4 }} {{ 10 // 4 }} {{ 'x' in 'xyz' }} {{ {'a': none} }}", "2.5 2 True {'a': None}"),
                Arguments.of("a\n  {% if x %}\n    b\n  {% endif %}\nc", "a\n    b\nc"),
                Arguments.of("  {% if x %}yes{% endif %}  \n", "yes  "),
                Arguments.of("{% for m in xs %}\n    {{ m }}\n{% endfor %}", "    1\n    2\n"),
                Arguments.of("{%- for m in xs -%}\n  [{{- m -}}]  \n{%- endfor %}\n", "[1][2]"),
                Arguments.of("x  {{- 'y' }}  \n {{ 'z' -}}  \n\n w", "xy  \n zw"),
                Arguments.of("a {# c #}\n b\n  {# d -#}   e\n{#- f #} g", "a  b\ne g"),
                Arguments.of("{% if x %}\n    {% set y = 1 %}\n    v{{ y }}\n{% endif %}\n", "    v1\n"),
                Arguments.of("t\n\t{%+ if x %}k{% endif +%}\nz", "t\n\tk\nz"),
                Arguments.of("{{ '}}' }} {{ {'a': {'b': 1}}['a']['b'] }} {% set s = '%}' %}{{ s }}", "}} 1 %}"),
                Arguments.of("line\n  \t{% if x %}\r\nA{% endif %}", "line\nA"),
                Arguments.of("\n  {{ x }}\n  {% if x %}B{% endif %}", "\n  True\nB"),
                Arguments.of("{% if x -%}\n\n  a  \n  {%- endif %}", "a"),
                Arguments.of("{{ 'a' }}\n{% if true %}\n\n{% endif %}\nb", "a\n\nb"),
                Arguments.of("{{ tools | tojson }}", "[{\"name\": \"f\", \"nested\": {\"b\": [1, 2.5, null, true]}, \"\u00e9\": \"\u00fc\\n\\\"q\\\"\"}]"),
                Arguments.of("{{ tools | tojson(indent=4) }}", "[\n    {\n        \"name\": \"f\",\n        \"nested\": {\n            \"b\": [\n                1,\n                2.5,\n                null,\n                true\n            ]\n        },\n        \"\u00e9\": \"\u00fc\\n\\\"q\\\"\"\n    }\n]"),
                Arguments.of("{{ tools[0] | tojson(separators=(',', ':')) }}", "{\"name\":\"f\",\"nested\":{\"b\":[1,2.5,null,true]},\"\u00e9\":\"\u00fc\\n\\\"q\\\"\"}"),
                Arguments.of("{{ tools[0] | tojson(sort_keys=true) }}", "{\"name\": \"f\", \"nested\": {\"b\": [1, 2.5, null, true]}, \"\u00e9\": \"\u00fc\\n\\\"q\\\"\"}"),
                Arguments.of("{{ ' Hi there\\n '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ '  a b  c '.split() }}|{{ 'a,b,,c'.split(',') }}", "Hi there|hi|['a', 'b', 'c']|['a', 'b', '', 'c']"),
                Arguments.of("{{ 'Hello'.startswith('He') }} {{ 'Hello'.endswith(('x', 'lo')) }} {{ 'hello world'.title() }} {{ 'ab'.upper() }}", "True True Hello World AB"),
                Arguments.of("{{ messages[0].content | trim }}|{{ messages | length }}|{{ messages[1:] | length }}|{{ messages[-1]['role'] }}", "sys {{ 7*7 }}|2|1|user"),
                Arguments.of("{% for m in messages %}{{ loop.index }}:{{ m.role }}{% if not loop.last %},{% endif %}{% endfor %}", "1:system,2:user"),
                Arguments.of("{{ 'a' ~ 1 ~ 'b' }}|{{ 'x' if messages else 'y' }}|{{ (messages | selectattr('role', 'equalto', 'user') | list | length) }}", "a1b|x|1"),
                Arguments.of("{% if 'tool_calls' in messages[0] %}T{% else %}F{% endif %}{% if messages[0].content is string %}S{% endif %}{% if messages[0].content is iterable %}I{% endif %}", "FSI"),
                Arguments.of("{{ messages[0].missing is defined }}|{{ messages[0].missing }}|{{ tools[0].nested.b }}", "False||[1, 2.5, None, True]"),
                Arguments.of("{{ 'He said \"{{ 7*7 }}\"' }}", "He said \"{{ 7*7 }}\""),
                Arguments.of("{% set ns = namespace(found=false) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}", "True"),
                Arguments.of("{{ 1.5 | tojson }} {{ 0.00001 | tojson }} {{ 1e20 | tojson }} {{ [true, none, '\u00e9\\u2028'] | tojson }}", "1.5 1e-05 1e+20 [true, null, \"\u00e9\u2028\"]"));
    }

    /** A reasoning-model template (namespace kwargs, reversed loop, str.split/strip, `is false`). */
    @Test
    @SuppressWarnings("unchecked")
    void reasoningTemplateLikeJinja2() throws Exception {
        String template;
        List<?> messages;
        try (var t = getClass().getResourceAsStream("reasoning-template.jinja");
             var m = getClass().getResourceAsStream("reasoning-messages.json")) {
            template = new String(t.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            messages = new ObjectMapper().readValue(m, List.class);
        }
        assertThat(ChatTemplate.of(template).render(messages, true, Map.of("enable_thinking", false))).isEqualTo(
                "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\nhmm\n</think>\n\nhello<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>x</tool_response><|im_end|>\n<|im_start|>assistant\n<think>\na\n"
                + "</think>\n\nb<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @ParameterizedTest
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void rendersLikeJinja2(String template, String expected) throws Exception {
        Map<String, Object> ctx = new ObjectMapper().readValue(CONTEXT, Map.class);
        List<?> messages = (List<?>) ctx.remove("messages");
        assertThat(ChatTemplate.of(template).render(messages, false, ctx)).isEqualTo(expected);
    }
}
