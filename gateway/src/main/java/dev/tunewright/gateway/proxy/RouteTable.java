package dev.tunewright.gateway.proxy;

import dev.tunewright.common.rest.SafePaths;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a request path to the backend that serves it. Longest prefix wins and prefixes match whole path segments
 * only, so {@code /v1/files} serves {@code /v1/files/abc} but not {@code /v1/filesystem}. Built once at startup; a
 * bad table stops the gateway instead of misrouting. Unsafe paths ({@link SafePaths}) never get here: the common
 * request guard refuses them first.
 */
public final class RouteTable {

    /** A backend as the proxy needs it. */
    public record Backend(String name, String host, int port, boolean ssl) {
        @Override
        public String toString() {
            return name + " (" + (ssl ? "https" : "http") + "://" + host + ":" + port + ")";
        }
    }

    private record Entry(String prefix, Backend backend) {
    }

    private final List<Entry> entries;

    private RouteTable(List<Entry> entries) {
        this.entries = entries;
    }

    /** @param routes backend name to (url, prefixes) */
    public static RouteTable of(Map<String, Map.Entry<String, List<String>>> routes) {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        routes.forEach((name, route) -> {
            Backend backend = backend(name, route.getKey());
            for (String raw : route.getValue()) {
                String prefix = prefix("route " + name, raw);
                String previous = owners.putIfAbsent(prefix, name);
                if (previous != null) {
                    throw new IllegalArgumentException("route prefix " + prefix + " is claimed by both " + previous
                            + " and " + name);
                }
                entries.add(new Entry(prefix, backend));
            }
        });
        entries.sort(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed());
        return new RouteTable(List.copyOf(entries));
    }

    public Optional<Backend> match(String path) {
        for (Entry entry : entries) {
            if (covers(entry.prefix(), path)) {
                return Optional.of(entry.backend());
            }
        }
        return Optional.empty();
    }

    public List<Backend> backends() {
        return entries.stream().map(Entry::backend).distinct().toList();
    }

    /** Whether {@code prefix} covers {@code path}: the path is the prefix or below it, by whole segments. */
    public static boolean covers(String prefix, String path) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /**
     * A configured path prefix made canonical (trailing slashes dropped), or an exception naming {@code owner} when it
     * is not a safe absolute path.
     */
    public static String prefix(String owner, String raw) {
        String prefix = raw.trim();
        while (prefix.length() > 1 && prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.startsWith("/") || prefix.length() < 2 || !SafePaths.isSafe(prefix)) {
            throw new IllegalArgumentException(owner + " has an invalid prefix '" + raw + "'");
        }
        return prefix;
    }

    private static Backend backend(String name, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("route " + name + " has an invalid url '" + url + "'", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("route " + name + " url must be http(s)://host[:port], was '" + url
                    + "'");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("route " + name + " url must not have a path or query: paths are"
                    + " forwarded unchanged, was '" + url + "'");
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        return new Backend(name, uri.getHost(), port, ssl);
    }
}
