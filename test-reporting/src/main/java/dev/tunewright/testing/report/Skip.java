package dev.tunewright.testing.report;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One test that did not run, as a line of a tab-separated record file: module, test, reason. */
record Skip(String module, String test, String reason) {

    static Skip parse(String line) {
        String[] parts = line.split("\t", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a skip record: " + line);
        }
        return new Skip(parts[0], parts[1], parts[2]);
    }

    Skip withModule(String name) {
        return new Skip(name, test, reason);
    }

    String line() {
        return clean(module) + "\t" + clean(test) + "\t" + clean(reason);
    }

    /** {@code 3 (2 because <reason>; 1 because <reason>)}, the most frequent reason first. */
    static String countByReason(Collection<Skip> skips) {
        Map<String, Long> counts = skips.stream()
                .collect(Collectors.groupingBy(Skip::reason, LinkedHashMap::new, Collectors.counting()));
        return skips.size() + " (" + counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getValue() + " because " + e.getKey())
                .collect(Collectors.joining("; ")) + ")";
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
