package dev.tunewright.registry.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * The JSON kept in text columns (file lists, metrics, settings, check results): written with sorted keys so equal
 * values store equal text, read back into plain maps and lists.
 */
public final class JsonText {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JsonText() {
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, Object> object(String text) {
        return read(text, new TypeReference<>() { });
    }

    public static Map<String, Double> numbers(String text) {
        return read(text, new TypeReference<>() { });
    }

    public static List<String> strings(String text) {
        return read(text, new TypeReference<>() { });
    }

    public static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
