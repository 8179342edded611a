package dev.tunewright.gateway.limits;

import dev.tunewright.gateway.proxy.RouteTable;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The largest request body the gateway passes on, by path prefix (longest prefix wins, whole segments, as in the route
 * table). JSON APIs get a small limit so that a client cannot make a service parse gigabytes of JSON; upload paths
 * are left to the service that owns them ({@code none}), which knows its own limit and says it in its own words.
 */
public final class BodyLimits {

    /** No limit at the gateway. */
    public static final long NONE = -1;
    public static final String CONFIG = "tunewright.gateway.limits.body-limits";

    private record Entry(String prefix, long maxBytes) {
    }

    private final List<Entry> entries;
    private final long fallback;

    private BodyLimits(List<Entry> entries, long fallback) {
        this.entries = entries;
        this.fallback = fallback;
    }

    /**
     * @param fallback the limit of paths no entry covers
     * @param specs    {@code PREFIX=SIZE} or {@code PREFIX=none}; sizes as in Quarkus configuration ({@code 512K},
     *                 {@code 8M})
     */
    public static BodyLimits of(long fallback, List<String> specs) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String spec : specs) {
            if (spec.isBlank()) {
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(CONFIG + " entry '" + spec + "' must be PREFIX=SIZE or PREFIX=none");
            }
            String prefix = RouteTable.prefix(CONFIG + " entry '" + spec + "'", spec.substring(0, eq));
            if (!seen.add(prefix)) {
                throw new IllegalArgumentException(CONFIG + " names " + prefix + " twice");
            }
            entries.add(new Entry(prefix, size(spec, spec.substring(eq + 1).trim())));
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        return new BodyLimits(List.copyOf(entries), fallback);
    }

    /** The limit in bytes for a request to {@code path}, or {@link #NONE}. */
    public long limit(String path) {
        for (Entry entry : entries) {
            if (RouteTable.covers(entry.prefix(), path)) {
                return entry.maxBytes();
            }
        }
        return fallback;
    }

    /** Where the limit of {@code path} is configured, for the 413 message. */
    public String source(String path) {
        for (Entry entry : entries) {
            if (RouteTable.covers(entry.prefix(), path)) {
                return CONFIG + " (" + entry.prefix() + ")";
            }
        }
        return "tunewright.gateway.limits.max-body";
    }

    /** {@code 1 MiB}, {@code 512 KiB}, {@code 100 bytes}: how people read a limit. */
    public static String describe(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + (bytes == 1 ? " byte" : " bytes");
    }

    private static long size(String spec, String value) {
        if (value.toLowerCase(Locale.ROOT).equals("none")) {
            return NONE;
        }
        try {
            long bytes = new MemorySizeConverter().convert(value).asLongValue();
            if (bytes < 0) {
                throw new IllegalArgumentException("negative");
            }
            return bytes;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(CONFIG + " entry '" + spec + "' has an invalid size '" + value
                    + "' (a number with an optional K, M, G suffix, or none)", e);
        }
    }
}
