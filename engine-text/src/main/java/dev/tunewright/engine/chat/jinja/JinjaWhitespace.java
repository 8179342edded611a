package dev.tunewright.engine.chat.jinja;

import dev.tunewright.engine.chat.ChatTemplateException;

/**
 * Applies Jinja2's whitespace rules ({@code trim_blocks=True}, {@code lstrip_blocks=True} and the
 * {@code -}/{@code +} markers) to a template up front, and returns an equivalent template with the
 * markers removed and comments dropped. Jinjava's own handling of the markers differs from Jinja2's
 * and leaks spaces and newlines into Llama 3.2 and Qwen 2.5 prompts, so Jinjava then renders the
 * result with all its whitespace features off.
 *
 * <p>The scan follows the Jinja2 lexer: a tag starts at the first {@code {{}, {@code {%} or
 * {@code {#}; inside a tag, string literals and brackets are skipped so that a closing marker inside
 * them does not end the tag.
 */
final class JinjaWhitespace {

    private JinjaWhitespace() {
    }

    static String apply(String template) {
        return apply(template, new TagBodies.Names(new java.util.HashSet<>(), new java.util.HashSet<>()));
    }

    static String apply(String template, TagBodies.Names names) {
        String src = normalizeNewlines(template);
        StringBuilder out = new StringBuilder(src.length());
        int pos = 0;
        boolean lineStarting = true;
        while (true) {
            int start = nextTagStart(src, pos);
            if (start < 0) {
                out.append(src, pos, src.length());
                return out.toString();
            }
            char kind = src.charAt(start + 1);
            char sign = start + 2 < src.length() ? src.charAt(start + 2) : 0;
            boolean hasSign = sign == '-' || sign == '+';
            String text = src.substring(pos, start);
            if (sign == '-') {
                text = rstrip(text);
            } else if (sign != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length() && isBlank(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            if (text.endsWith("{")) {
                // After whitespace stripping a text may end in '{' right before a tag; Jinjava would read "{{%".
                out.append(text, 0, text.length() - 1).append("{{ '{' }}");
            } else {
                out.append(text);
            }
            int bodyStart = start + 2 + (hasSign ? 1 : 0);
            int close = kind == '#' ? commentEnd(src, bodyStart) : tagEnd(src, bodyStart, kind == '{' ? '}' : '%');
            if (close < 0) {
                throw new ChatTemplateException("chat template: unclosed " + src.substring(start, start + 2)
                        + " tag at offset " + start);
            }
            char before = close > bodyStart ? src.charAt(close - 1) : 0;
            char endSign = before == '-' || (before == '+' && kind != '{') ? before : 0;
            int bodyEnd = endSign != 0 ? close - 1 : close;
            String body = src.substring(bodyStart, bodyEnd);
            if (kind == '%' && body.strip().matches("(raw|endraw)\\b.*")) {
                throw new ChatTemplateException("chat template: {% raw %} blocks are not supported");
            }
            if (kind == '%' && TagBodies.isFilteredLoop(body)) {
                throw new ChatTemplateException("chat template: loop filters ({% for x in xs if cond %}) are not supported");
            }
            if (kind == '{') {
                out.append("{{").append(TagBodies.variable(body, names)).append("}}");
            } else if (kind == '%') {
                out.append("{%").append(TagBodies.block(body, names)).append("%}");
            }
            pos = close + 2;
            if (endSign == '-') {
                int ws = pos;
                while (ws < src.length() && isSpace(src.charAt(ws))) {
                    ws++;
                }
                lineStarting = ws > pos && src.charAt(ws - 1) == '\n';
                pos = ws;
            } else if (kind != '{' && endSign != '+' && pos < src.length() && src.charAt(pos) == '\n') {
                pos++;
                lineStarting = true;
            } else {
                lineStarting = false;
            }
        }
    }

    /**
     * Jinja2 turns every line ending into {@code \n} and, without {@code keep_trailing_newline}
     * (Hugging Face does not set it), drops one trailing newline before lexing.
     */
    static String normalizeNewlines(String s) {
        String n = s.replace("\r\n", "\n").replace('\r', '\n');
        return n.endsWith("\n") ? n.substring(0, n.length() - 1) : n;
    }

    private static int nextTagStart(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the closing {@code }}}/{@code %}} at bracket depth zero, outside string literals. */
    private static int tagEnd(String s, int from, char closer) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipString(s, i);
                if (i < 0) {
                    return -1;
                }
            } else if (depth == 0 && c == closer && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                return i;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    private static int skipString(String s, int open) {
        char q = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        return -1;
    }

    private static int commentEnd(String s, int from) {
        return s.indexOf("#}", from);
    }

    /** Python's {@code str.rstrip()}. */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code str.isspace()} for one character, which also counts no-break spaces. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
