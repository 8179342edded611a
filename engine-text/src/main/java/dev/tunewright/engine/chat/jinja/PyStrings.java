package dev.tunewright.engine.chat.jinja;

import dev.tunewright.engine.chat.ChatTemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Python {@code str} methods chat templates call ({@code content.strip()},
 * {@code role.startswith(...)}, ...), implemented with Python semantics. Strings in a template get
 * these and nothing else: Java's own {@code String} methods stay out of reach of the template.
 */
final class PyStrings {

    private PyStrings() {
    }

    static Object invoke(String s, String method, Object[] args) {
        return switch (method) {
            case "strip" -> strip(s, chars(args), true, true);
            case "lstrip" -> strip(s, chars(args), true, false);
            case "rstrip" -> strip(s, chars(args), false, true);
            case "startswith" -> anyMatch(args, s::startsWith);
            case "endswith" -> anyMatch(args, s::endsWith);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" -> s.isEmpty() ? s
                    : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
            case "replace" -> replace(s, args);
            case "split" -> split(s, args);
            case "find" -> s.indexOf(arg(args, 0, method));
            case "count" -> count(s, arg(args, 0, method));
            case "join" -> join(s, args);
            default -> throw new ChatTemplateException("chat template calls str." + method
                    + "(), which is not supported");
        };
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && isStripped(s.charAt(b), chars)) {
            b++;
        }
        while (right && e > b && isStripped(s.charAt(e - 1), chars)) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean isStripped(char c, String chars) {
        return chars == null ? JinjaWhitespace.isSpace(c) : chars.indexOf(c) >= 0;
    }

    private static String chars(Object[] args) {
        return args.length > 0 && args[0] != null ? String.valueOf(args[0]) : null;
    }

    private static String arg(Object[] args, int i, String method) {
        if (args.length <= i || !(args[i] instanceof String)) {
            throw new ChatTemplateException("str." + method + "() needs a string argument");
        }
        return (String) args[i];
    }

    private static boolean anyMatch(Object[] args, java.util.function.Predicate<String> test) {
        if (args.length == 1 && args[0] instanceof List<?> options) {
            return options.stream().anyMatch(o -> test.test(String.valueOf(o)));
        }
        return test.test(arg(args, 0, "startswith/endswith"));
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }

    private static String replace(String s, Object[] args) {
        String from = arg(args, 0, "replace");
        String to = arg(args, 1, "replace");
        if (args.length < 3) {
            return s.replace(from, to);
        }
        int n = ((Number) args[2]).intValue();
        String out = s;
        int at = 0;
        for (int i = 0; i < n || n < 0; i++) {
            int idx = out.indexOf(from, at);
            if (idx < 0) {
                break;
            }
            out = out.substring(0, idx) + to + out.substring(idx + from.length());
            at = idx + to.length() + (from.isEmpty() ? 1 : 0);
        }
        return out;
    }

    private static List<String> split(String s, Object[] args) {
        String sep = args.length > 0 && args[0] != null ? String.valueOf(args[0]) : null;
        int max = args.length > 1 ? ((Number) args[1]).intValue() : -1;
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (i < s.length()) {
                while (i < s.length() && JinjaWhitespace.isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    break;
                }
                if (max >= 0 && out.size() == max) {
                    out.add(strip(s.substring(i), null, false, true));
                    return out;
                }
                int j = i;
                while (j < s.length() && !JinjaWhitespace.isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new ChatTemplateException("str.split(): empty separator");
        }
        int from = 0;
        while (max < 0 || out.size() < max) {
            int idx = s.indexOf(sep, from);
            if (idx < 0) {
                break;
            }
            out.add(s.substring(from, idx));
            from = idx + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }

    private static String join(String s, Object[] args) {
        if (args.length != 1 || !(args[0] instanceof Iterable<?> items)) {
            throw new ChatTemplateException("str.join() needs a list");
        }
        List<String> parts = new ArrayList<>();
        items.forEach(o -> parts.add(String.valueOf(o)));
        return String.join(s, parts);
    }
}
