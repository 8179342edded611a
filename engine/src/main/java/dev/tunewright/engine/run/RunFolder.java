package dev.tunewright.engine.run;

import dev.tunewright.engine.train.Checkpoints;
import dev.tunewright.engine.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The folder of one run: {@code adapter/} (the result, PEFT layout), {@code best-adapter/} (lowest validation loss
 * so far), {@code checkpoints/checkpoint-NNNNNNNN/} (each whole or ignored, see {@link Checkpoints}) and
 * {@code metrics.jsonl} (one line per step).
 */
public record RunFolder(Path root) {

    public static final String METRICS = "metrics.jsonl";

    /** The run a checkpoint folder belongs to: the folder above its {@code checkpoints/}. */
    public static RunFolder ofCheckpoint(Path checkpoint) {
        Path checkpoints = checkpoint.toAbsolutePath().normalize().getParent();
        InvalidSettingException.require(checkpoints != null && checkpoints.getFileName() != null
                        && checkpoints.getFileName().toString().equals(Trainer.CHECKPOINTS) && Files.isDirectory(checkpoint),
                Setting.RESUME, "a checkpoint to resume must be a folder inside RUN/" + Trainer.CHECKPOINTS + ", was " + checkpoint);
        return new RunFolder(checkpoints.getParent());
    }

    public Path adapter() {
        return root.resolve(Trainer.ADAPTER);
    }

    public Path bestAdapter() {
        return root.resolve(Trainer.BEST_ADAPTER);
    }

    public Path checkpoints() {
        return root.resolve(Trainer.CHECKPOINTS);
    }

    public Path metrics() {
        return root.resolve(METRICS);
    }

    /** Whether anything (even a torn or temporary checkpoint) lies in {@code checkpoints/}. */
    public boolean hasCheckpoints() throws IOException {
        if (!Files.isDirectory(checkpoints())) {
            return false;
        }
        try (Stream<Path> entries = Files.list(checkpoints())) {
            return entries.findAny().isPresent();
        }
    }

    /** The newest checkpoint whose files match its manifest; each one passed over is reported with the reason. */
    public Optional<Path> latestValidCheckpoint(Consumer<String> skipped) throws IOException {
        return Checkpoints.latestValid(checkpoints(), skipped);
    }

    /**
     * The checkpoint a run under {@code rule} continues, empty for a new start, with the folder created. A new run
     * refuses a folder with checkpoints (it would neither continue nor overwrite them silently); a required resume
     * refuses a folder without an intact one.
     *
     * @param skipped told about each torn checkpoint passed over, with the reason
     */
    public Optional<Path> resumePoint(Resume rule, Consumer<String> skipped) throws IOException {
        Optional<Path> latest = checkResumePoint(rule, skipped);
        Files.createDirectories(root);
        return latest;
    }

    /**
     * As {@link #resumePoint} without creating anything: what a caller checks before the run's other settings are,
     * so that a refused folder fails early and a refused setting leaves no folder behind.
     */
    public Optional<Path> checkResumePoint(Resume rule, Consumer<String> skipped) throws IOException {
        Optional<Path> latest = Optional.empty();
        if (rule == Resume.NEVER) {
            InvalidSettingException.require(!hasCheckpoints(), Setting.RUN_DIR,
                    root + " already holds checkpoints of a run: resume it, or choose another run folder");
        } else {
            latest = latestValidCheckpoint(skipped);
            InvalidSettingException.require(latest.isPresent() || rule == Resume.IF_ANY, Setting.RESUME,
                    "no intact checkpoint in " + checkpoints() + " to resume");
        }
        return latest;
    }
}
