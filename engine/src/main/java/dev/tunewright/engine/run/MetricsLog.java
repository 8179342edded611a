package dev.tunewright.engine.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.tunewright.engine.train.StepMetrics;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON line per optimizer step, snake-case fields of {@link StepMetrics}, flushed as it
 * is written. A run that resumes at step N first drops the lines of steps after N (written before a crash, and about
 * to be trained again), so the file is always the run's history, each step once.
 */
public final class MetricsLog implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final BufferedWriter out;

    private MetricsLog(BufferedWriter out) {
        this.out = out;
    }

    /** One step as the JSON line this log writes. */
    public static String line(StepMetrics metrics) {
        try {
            return JSON.writeValueAsString(metrics);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The log of a run starting after step {@code startStep} (0: a new run, whose file starts empty). */
    static MetricsLog open(Path file, int startStep) throws IOException {
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> kept = new ArrayList<>();
            for (String line : lines) {
                if (stepOf(line) <= startStep) {
                    kept.add(line);
                }
            }
            if (kept.size() != lines.size()) {
                Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.write(temp, kept, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    private static int stepOf(String line) {
        try {
            return JSON.readTree(line).path("step").asInt(Integer.MAX_VALUE);
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE; // a line torn by a crash
        }
    }

    void write(StepMetrics metrics) {
        try {
            out.write(line(metrics));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
