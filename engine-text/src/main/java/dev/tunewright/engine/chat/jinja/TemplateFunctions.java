package dev.tunewright.engine.chat.jinja;

import dev.tunewright.engine.chat.ChatTemplateException;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The global functions Hugging Face gives chat templates. Registered as static methods because
 * that is how Jinjava binds functions; they see only their arguments.
 */
public final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** Raised by the template's {@code raise_exception(message)}; the message is the template's own. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message);
        }
    }

    public static Object raiseException(Object message) {
        throw new TemplateRaised(String.valueOf(message));
    }

    /**
     * Python's {@code range}. Jinjava's own silently truncates long ranges, which would render a
     * different prompt; past the limit this one fails instead.
     */
    public static List<Integer> range(Object first, Object... rest) {
        long start = 0;
        long stop;
        long step = 1;
        if (rest.length == 0) {
            stop = integer(first);
        } else {
            start = integer(first);
            stop = integer(rest[0]);
            step = rest.length > 1 ? integer(rest[1]) : 1;
        }
        if (step == 0) {
            throw new ChatTemplateException("range() step must not be zero");
        }
        long count = step > 0 ? Math.max(0, (stop - start + step - 1) / step) : Math.max(0, (start - stop - step - 1) / -step);
        if (count > JinjaRenderer.MAX_RANGE) {
            throw new ChatTemplateException("range() of " + count + " items exceeds the limit of " + JinjaRenderer.MAX_RANGE);
        }
        List<Integer> out = new ArrayList<>((int) count);
        for (long i = 0, v = start; i < count; i++, v += step) {
            out.add((int) v);
        }
        return out;
    }

    private static long integer(Object o) {
        if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new ChatTemplateException("range() needs integers, got " + o);
    }

    public static String strftimeNow(String format) {
        return strftime(ZonedDateTime.now(), format);
    }

    /** The C/Python {@code strftime} directives in the C locale; an unknown directive fails. */
    public static String strftime(ZonedDateTime t, String format) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd' -> sb.append(String.format("%02d", t.getDayOfMonth()));
                case 'e' -> sb.append(String.format("%2d", t.getDayOfMonth()));
                case 'm' -> sb.append(String.format("%02d", t.getMonthValue()));
                case 'Y' -> sb.append(t.getYear());
                case 'y' -> sb.append(String.format("%02d", t.getYear() % 100));
                case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
                case 'H' -> sb.append(String.format("%02d", t.getHour()));
                case 'I' -> sb.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
                case 'M' -> sb.append(String.format("%02d", t.getMinute()));
                case 'S' -> sb.append(String.format("%02d", t.getSecond()));
                case 'j' -> sb.append(String.format("%03d", t.getDayOfYear()));
                case 'Z' -> sb.append(t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
                case '%' -> sb.append('%');
                default -> throw new ChatTemplateException("strftime_now: directive %" + d + " is not supported");
            }
        }
        return sb.toString();
    }
}
