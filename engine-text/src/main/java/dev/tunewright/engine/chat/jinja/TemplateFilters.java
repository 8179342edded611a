package dev.tunewright.engine.chat.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.tunewright.engine.chat.ChatTemplateException;
import java.util.List;
import java.util.Map;

/**
 * Filters and tests whose Jinjava versions differ from Jinja2/Hugging Face: {@code tojson} (Python
 * {@code json.dumps} layout), {@code trim} (Python {@code str.strip}, optional characters) and the
 * {@code iterable}/{@code sequence} tests, which are true for strings in Jinja2, and {@code string},
 * which must format like Python's {@code str()}.
 */
final class TemplateFilters {

    private TemplateFilters() {
    }

    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, (Object[]) args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 1 ? args[1] : null);
            if (args.length > 0 && args[0] != null && !(args[0] instanceof Boolean b && !b)) {
                throw new ChatTemplateException("tojson: ensure_ascii=True is not supported");
            }
            if (kwargs.get("ensure_ascii") instanceof Boolean b && b) {
                throw new ChatTemplateException("tojson: ensure_ascii=True is not supported");
            }
            String itemSep = null;
            String keySep = null;
            if (kwargs.get("separators") instanceof List<?> seps && seps.size() == 2) {
                itemSep = String.valueOf(seps.get(0));
                keySep = String.valueOf(seps.get(1));
            }
            boolean sortKeys = kwargs.get("sort_keys") instanceof Boolean b && b;
            Integer indentWidth = indent == null ? null : Integer.valueOf(String.valueOf(indent));
            return new PyJson(indentWidth, itemSep, keySep, sortKeys).dumps(var);
        }
    }

    static final class Trim implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return var == null ? "" : PyStrings.strip(String.valueOf(var), chars, true, true);
        }
    }

    /** Python's {@code str()}: {@code ['a', 1]} and {@code True}, not Jinjava's {@code [a, 1]} and {@code true}. */
    static final class Str implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return var == null ? "None" : PyRepr.str(var);
        }
    }

    /** Jinja2: anything iterable, strings included. */
    static final class Iterable implements ExpTest {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof CharSequence || var instanceof java.lang.Iterable<?> || var instanceof Map<?, ?>
                    || (var != null && var.getClass().isArray());
        }
    }

    /** Jinja2: has a length and items (strings, lists, dicts). */
    static final class Sequence implements ExpTest {
        @Override
        public String getName() {
            return "sequence";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof CharSequence || var instanceof java.util.Collection<?> || var instanceof Map<?, ?>;
        }
    }
}
