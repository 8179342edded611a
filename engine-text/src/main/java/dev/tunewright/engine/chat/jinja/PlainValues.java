package dev.tunewright.engine.chat.jinja;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.engine.chat.ChatTemplateException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep-copies template inputs into plain maps, lists, strings, numbers and booleans. Whatever the
 * caller passes (Jackson trees, records inside maps, ...), the template never sees a Java object it
 * could call methods on. The copies are unmodifiable because Hugging Face renders in Jinja2's
 * immutable sandbox, where {@code list.append} and friends raise.
 */
public final class PlainValues {

    private PlainValues() {
    }

    static Object of(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Double) {
            return v;
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Float || v instanceof java.math.BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.longValueExact();
        }
        if (v instanceof JsonNode n) {
            return ofJson(n);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), of(val)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(e -> out.add(of(e)));
            return Collections.unmodifiableList(out);
        }
        throw new ChatTemplateException("chat template input of type " + v.getClass().getName()
                + " is not a plain JSON value");
    }

    public static Object ofJson(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToInt() ? (Object) n.intValue() : (Object) n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(ofJson(e)));
            return Collections.unmodifiableList(out);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), ofJson(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }
}
