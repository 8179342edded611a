package dev.tunewright.engine.chat.jinja;


import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Python's {@code str()} and {@code repr()} for the plain values templates handle, used when an
 * expression is printed. Jinjava would print {@code true} and {@code [a, b]} where Jinja2 prints
 * {@code True} and {@code ['a', 'b']}. A null prints as empty, as Jinja2 prints undefined.
 */
public final class PyRepr {

    private PyRepr() {
    }

    /** Registered with Jinjava as the printing function; see {@link TagBodies}. */
    public static String str(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        return repr(v);
    }

    static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof CharSequence s) {
            return quote(s.toString());
        }
        if (v instanceof Double || v instanceof Float) {
            return PyJson.floatRepr(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            m.forEach((k, val) -> j.add(repr(k) + ": " + repr(val)));
            return j.toString();
        }
        if (v instanceof Collection<?> c) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            c.forEach(e -> j.add(repr(e)));
            return j.toString();
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append(q).toString();
    }
}
