package dev.tunewright.engine.chat.jinja;

import dev.tunewright.engine.chat.ChatTemplateException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Rewrites the inside of a tag so that Jinjava reads it as Jinja2 does. String literals are decoded
 * with Python's escape rules and re-quoted with only the escapes Jinjava's EL understands; a
 * {@code }}} that closes nested braces is split so Jinjava's scanner does not end the tag there;
 * keyword arguments are parenthesised because Jinjava binds {@code f(a=x - 1)} differently; and
 * every printed expression goes through {@link PyRepr#str}, so {@code True}, {@code None}-free lists
 * and dicts print as Python prints them.
 */
final class TagBodies {

    /** Name of the printing function registered with Jinjava; not reachable as a template variable. */
    static final String STR_FUNCTION = "__tw_str__";

    /** Words that are operators in Jinjava's expression language but ordinary names in Jinja2. */
    private static final java.util.Set<String> EL_ONLY_KEYWORDS =
            java.util.Set.of("empty", "div", "mod", "eq", "ne", "lt", "gt", "le", "ge", "instanceof");

    private TagBodies() {
    }

    /** Filter and test names a template uses, so that unknown ones fail at load time. */
    record Names(java.util.Set<String> filters, java.util.Set<String> tests) {
    }

    static String variable(String body, Names names) {
        return " " + STR_FUNCTION + "((" + rewrite(body, names) + ")) ";
    }

    static String block(String body, Names names) {
        return rewrite(body, names);
    }

    private static String rewrite(String body, Names names) {
        StringBuilder out = new StringBuilder(body.length() + 8);
        boolean wrapKwargs = !body.strip().matches("(macro|call)\\b.*");
        int depth = 0;
        Deque<Integer> openKwargs = new ArrayDeque<>();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '|') {
                names.filters().add(identifierAfter(body, i + 1, false));
                out.append(c);
            } else if (isWordAt(body, i, "is")) {
                names.tests().add(identifierAfter(body, i + 2, true));
                out.append("is");
                i++;
            } else if (Character.isJavaIdentifierPart(c)) {
                int j = i;
                while (j < body.length() && Character.isJavaIdentifierPart(body.charAt(j))) {
                    j++;
                }
                if (EL_ONLY_KEYWORDS.contains(body.substring(i, j))) {
                    throw new ChatTemplateException("chat template uses the name '" + body.substring(i, j)
                            + "', which Jinjava parses as an operator; not supported");
                }
                out.append(body, i, j);
                int eq = skipSpaces(body, j);
                if (wrapKwargs && depth > 0 && isKeywordArgument(body, i, eq)) {
                    // Jinjava binds `name=a - 1` as `(name=a) - 1`; Jinja2 passes `a - 1`.
                    out.append(body, j, eq + 1).append('(');
                    openKwargs.push(depth);
                    j = eq + 1;
                }
                i = j - 1;
            } else if (c == '\'' || c == '"') {
                int end = closingQuote(body, i);
                out.append(quote(decode(body.substring(i + 1, end))));
                i = end;
            } else if (body.startsWith("[::-1]", i) && !followedByPostfix(body, i + 6)) {
                // Jinjava has no slice steps; a full reversal is the reverse filter.
                out.append("|reverse|list");
                i += 5;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
                out.append(c);
            } else if (c == ')' || c == ']' || c == '}' || c == ',') {
                if (!openKwargs.isEmpty() && openKwargs.peek() == depth) {
                    out.append(')');
                    openKwargs.pop();
                }
                if (c != ',') {
                    depth--;
                }
                out.append(c);
                if (c == '}' && i + 1 < body.length() && body.charAt(i + 1) == '}') {
                    out.append(' ');
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean followedByPostfix(String s, int from) {
        return from < s.length() && (s.charAt(from) == '[' || s.charAt(from) == '.' || s.charAt(from) == '(');
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** {@code name=} (not {@code ==}) right after {@code (} or {@code ,}: a keyword argument of a call. */
    private static boolean isKeywordArgument(String s, int nameStart, int eq) {
        if (eq >= s.length() || s.charAt(eq) != '=' || (eq + 1 < s.length() && s.charAt(eq + 1) == '=')) {
            return false;
        }
        int k = nameStart - 1;
        while (k >= 0 && s.charAt(k) == ' ') {
            k--;
        }
        return k >= 0 && (s.charAt(k) == '(' || s.charAt(k) == ',');
    }

    /** {@code for x in xs if cond}: Jinjava ignores the filter and renders nothing, so it is refused. */
    static boolean isFilteredLoop(String body) {
        String code = withoutStrings(body).strip();
        return code.matches("for\\b.*") && code.matches(".*\\bin\\b.*\\bif\\b.*");
    }

    private static String withoutStrings(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = closingQuote(s, i);
                sb.append("''");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isWordAt(String s, int i, String word) {
        return s.startsWith(word, i)
                && (i == 0 || !Character.isJavaIdentifierPart(s.charAt(i - 1)))
                && (i + word.length() == s.length() || !Character.isJavaIdentifierPart(s.charAt(i + word.length())));
    }

    /** The identifier after position {@code from}, skipping spaces and, for tests, a {@code not}. */
    private static String identifierAfter(String s, int from, boolean skipNot) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (skipNot && isWordAt(s, i, "not")) {
            return identifierAfter(s, i + 3, false);
        }
        int j = i;
        while (j < s.length() && Character.isJavaIdentifierPart(s.charAt(j))) {
            j++;
        }
        return s.substring(i, j);
    }

    private static int closingQuote(String s, int open) {
        char q = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                return i;
            }
        }
        throw new ChatTemplateException("chat template: unterminated string literal " + s.substring(open));
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Python string-literal escapes as Jinja2 applies them; unknown escapes stay as written. */
    static String decode(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 == raw.length()) {
                sb.append(c);
                continue;
            }
            char e = raw.charAt(++i);
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> sb.append(e);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x' -> i = hex(raw, i, 2, sb);
                case 'u' -> i = hex(raw, i, 4, sb);
                case 'U' -> i = hex(raw, i, 8, sb);
                case 'N' -> throw new ChatTemplateException("chat template: \\N{...} escapes are not supported");
                default -> {
                    if (e >= '0' && e <= '7') {
                        int j = i;
                        int v = 0;
                        while (j < raw.length() && j < i + 3 && raw.charAt(j) >= '0' && raw.charAt(j) <= '7') {
                            v = v * 8 + (raw.charAt(j++) - '0');
                        }
                        sb.appendCodePoint(v);
                        i = j - 1;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hex(String raw, int at, int digits, StringBuilder sb) {
        try {
            sb.appendCodePoint(Integer.parseInt(raw.substring(at + 1, at + 1 + digits), 16));
        } catch (RuntimeException ex) {
            throw new ChatTemplateException("chat template: bad \\" + raw.charAt(at) + " escape in '" + raw + "'");
        }
        return at + digits;
    }
}
