package dev.tunewright.engine.chat.jinja;


import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works around Jinjava's truthiness, which treats the string {@code "false"} (any case) as false
 * where Python treats every non-empty string as true. A dataset answer "False" would otherwise
 * vanish behind {@code {% if message.content %}}. Such strings are swapped for unique
 * private-use placeholders before rendering and swapped back in the output.
 */
final class FalseStrings {

    private final Map<String, String> placeholders = new LinkedHashMap<>();

    Object mask(Object v) {
        if (v instanceof String s && s.equalsIgnoreCase("false")) {
            return placeholders.computeIfAbsent(s, k -> "\uE000tw" + placeholders.size() + "\uE001");
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), mask(val)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(e -> out.add(mask(e)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    String unmask(String output) {
        String out = output;
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            out = out.replace(e.getValue(), e.getKey());
        }
        return out;
    }
}
