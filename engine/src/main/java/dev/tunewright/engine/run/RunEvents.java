package dev.tunewright.engine.run;

import dev.tunewright.engine.train.Evaluation;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.engine.train.TrainingListener;
import java.nio.file.Path;

/** The trainer's callbacks as a run's: every step into {@code metrics.jsonl}, then to the run's listener. */
final class RunEvents implements TrainingListener {

    private final RunListener listener;
    private final MetricsLog metrics;
    private StepMetrics last;

    RunEvents(RunListener listener, MetricsLog metrics) {
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void onStep(StepMetrics step) {
        last = step;
        metrics.write(step);
        listener.onStep(step);
    }

    @Override
    public void onEvaluation(int step, Evaluation evaluation) {
        listener.onEvaluation(step, evaluation);
    }

    @Override
    public void onCheckpoint(int step, Path checkpoint) {
        listener.onCheckpoint(new SavedCheckpoint(step, checkpoint, last != null && last.step() == step ? last : null));
    }
}
