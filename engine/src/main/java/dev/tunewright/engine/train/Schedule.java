package dev.tunewright.engine.train;

/**
 * The learning rate as a pure function of the step, so a resumed run needs only the step number to be
 * exactly where it left off. Warm-up starts at peak/(warmup + 1) rather than 0, so no step is wasted
 * on a zero update (nanoGPT's choice); the decay reaches 0 one step after the last.
 */
public final class Schedule {

    private Schedule() {}

    /**
     * @param step optimizer steps already taken (0 for the first update)
     * @param totalSteps optimizer steps of the whole run
     */
    public static double learningRate(TrainConfig config, int step, int totalSteps) {
        double peak = config.learningRate();
        int warmup = config.warmupSteps();
        if (step < warmup) {
            return peak * (step + 1) / (warmup + 1);
        }
        if (step >= totalSteps) {
            return 0;
        }
        double progress = (double) (step - warmup) / (totalSteps - warmup);
        return switch (config.scheduler()) {
            case LINEAR -> peak * (1 - progress);
            case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }
}
