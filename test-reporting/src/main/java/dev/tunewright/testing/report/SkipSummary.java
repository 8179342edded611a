package dev.tunewright.testing.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The last line of a build: every test the build's test JVMs skipped ({@link SkipReporter}'s records), counted by
 * reason, so a clone without {@code ../shared} or without the interop Python shows plainly what it did not check.
 */
public final class SkipSummary {

    private SkipSummary() {}

    /** {@code args[0]}: the folder of the build's records. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Skip> skips = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).sorted().toList()) {
                    Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
                            .map(Skip::parse).forEach(skips::add);
                }
            }
        }
        System.out.println(skips.isEmpty() ? "Tests skipped in this build: none"
                : "Tests skipped in this build: " + Skip.countByReason(skips) + "; each is named above with [skipped]");
    }
}
