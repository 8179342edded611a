package dev.tunewright.engine.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a safetensors JSON header against the data area it describes. Nothing from the header is
 * used until every entry has been checked, because offsets and shapes come from an untrusted file and
 * are later turned into memory mappings and array sizes.
 */
final class HeaderParser {

    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    }

    private final Path file;
    private final long dataSize;

    HeaderParser(Path file, long dataSize) {
        this.file = file;
        this.dataSize = dataSize;
    }

    Header parse(byte[] json) throws SafetensorsException {
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = Map.of();
        boolean sawMetadata = false;
        String current = null;
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(null, "header is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                current = name;
                p.nextToken();
                JsonNode value = MAPPER.readTree(p);
                if (METADATA_KEY.equals(name)) {
                    if (sawMetadata) {
                        throw error(null, "duplicate " + METADATA_KEY);
                    }
                    sawMetadata = true;
                    metadata = metadata(value);
                } else {
                    if (tensors.containsKey(name)) {
                        throw error(name, "duplicate tensor name in header");
                    }
                    tensors.put(name, tensor(name, value));
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw error(null, "header has trailing content after the JSON object");
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (JsonParseException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                JsonParser p = (JsonParser) e.getProcessor();
                boolean topLevel = p != null && p.getParsingContext().getParent() != null
                        && p.getParsingContext().getParent().inRoot();
                String dup = msg.substring(msg.indexOf('\'') + 1, msg.lastIndexOf('\''));
                throw topLevel
                        ? error(dup, "duplicate tensor name in header")
                        : error(current, "duplicate key '" + dup + "' in its header entry");
            }
            throw new SafetensorsException(file, null, "header is not well-formed JSON: " + msg, e);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, null, "header is not well-formed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot parse header: " + e.getMessage(), e);
        }
        checkCoverage(tensors.values());
        return new Header(Collections.unmodifiableMap(tensors), metadata);
    }

    private Map<String, String> metadata(JsonNode value) throws SafetensorsException {
        if (!value.isObject()) {
            throw error(null, METADATA_KEY + " must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = value.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw error(null, METADATA_KEY + " value for '" + e.getKey() + "' is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    private TensorInfo tensor(String name, JsonNode v) throws SafetensorsException {
        if (!v.isObject()) {
            throw error(name, "entry is not an object");
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw error(name, "missing or non-string dtype");
        }
        DType dtype;
        try {
            dtype = DType.parse(dt.textValue());
        } catch (IllegalArgumentException e) {
            throw error(name, e.getMessage());
        }
        long[] shape = longs(name, v.get("shape"), "shape", -1);
        long[] offsets = longs(name, v.get("data_offsets"), "data_offsets", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw error(name, "data_offsets begin " + begin + " is after end " + end);
        }
        if (end > dataSize) {
            throw error(name, "data_offsets [" + begin + ", " + end + ") outside the data area of " + dataSize + " bytes");
        }
        long expected;
        try {
            expected = dtype.byteSize();
            for (long d : shape) {
                expected = Math.multiplyExact(expected, d);
            }
        } catch (ArithmeticException e) {
            throw error(name, "shape " + java.util.Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
        if (expected != end - begin) {
            throw error(name, "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + expected
                    + " bytes but data_offsets span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private long[] longs(String name, JsonNode v, String field, int exactLength) throws SafetensorsException {
        if (v == null || !v.isArray()) {
            throw error(name, "missing or non-array " + field);
        }
        if (exactLength >= 0 && v.size() != exactLength) {
            throw error(name, field + " must have " + exactLength + " entries, has " + v.size());
        }
        long[] out = new long[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = v.get(i);
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
                throw error(name, field + " entry " + n + " is not a non-negative 64-bit integer");
            }
            out[i] = n.longValue();
        }
        return out;
    }

    /** Sorted by offset, the tensors must tile the data area exactly: no overlap, no hole, no tail. */
    private void checkCoverage(Iterable<TensorInfo> infos) throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>();
        infos.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long cursor = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < cursor) {
                throw error(t.name(), "data overlaps tensor '" + previous + "' (begins at " + t.begin()
                        + ", previous ends at " + cursor + ")");
            }
            if (t.begin() > cursor) {
                throw error(t.name(), "hole of " + (t.begin() - cursor) + " bytes before this tensor at offset " + cursor);
            }
            cursor = t.end();
            previous = t.name();
        }
        if (cursor != dataSize) {
            throw error(previous, "data area has " + (dataSize - cursor) + " unused bytes after the last tensor");
        }
    }

    private SafetensorsException error(String tensor, String detail) {
        return new SafetensorsException(file, tensor, detail);
    }
}
