package dev.tunewright.engine.run;

import dev.tunewright.engine.train.StepMetrics;
import java.nio.file.Path;

/**
 * A checkpoint now on disk, whole (its manifest verifies it); its folder holds the adapter in PEFT's layout.
 *
 * @param metrics the metrics of step {@code step}, null when this process took no step yet
 */
public record SavedCheckpoint(int step, Path folder, StepMetrics metrics) {
}
