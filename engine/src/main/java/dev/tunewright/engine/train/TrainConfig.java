package dev.tunewright.engine.train;

/**
 * How a LoRA run trains. Defaults follow what PEFT users get from HF's Trainer and the usual LoRA recipes
 * (lr 2e-4, AdamW 0.9/0.999/1e-8, clip at 1.0), so a run configured with nothing surprising behaves as they
 * expect. Steps are optimizer steps; one step consumes {@code microBatchSize · gradientAccumulation}
 * sequences.
 *
 * @param epochs passes over the training data; ignored when {@code maxSteps} is positive
 * @param maxSteps optimizer steps to run, or 0 to run {@code epochs} full epochs
 * @param microBatchSize sequences per forward/backward pass, padded to the longest
 * @param gradientAccumulation micro-batches whose gradients add up to one optimizer step
 * @param learningRate peak learning rate, reached at the end of warm-up
 * @param warmupSteps steps of linear warm-up from near 0 to the peak
 * @param scheduler the decay from the peak to 0 at the last step
 * @param weightDecay AdamW's decoupled decay, applied to matrices only (LoRA A and B), never to vectors
 * @param maxGradNorm clip the global gradient norm to this; 0 turns clipping off
 * @param seed drives data order, adapter dropout and (through the caller) adapter initialisation
 * @param evalEvery evaluate every this many steps (and at the end) when there is validation data; 0: only at the end
 * @param earlyStoppingPatience stop after this many evaluations without a lower validation loss; 0: never
 * @param saveEvery write a checkpoint every this many steps; 0: only at the end
 * @param saveTotalLimit keep only this many newest checkpoints, deleting older ones as new ones are written
 *     (HF's save_total_limit); 0 keeps all
 * @param gradientCheckpointing keep only each decoder layer's input during the forward pass and recompute the
 *     layer in backward: activation memory drops from every layer's intermediates to one layer's, for about
 *     one more forward pass of compute; the numbers are the same either way
 */
public record TrainConfig(int epochs, int maxSteps, int microBatchSize, int gradientAccumulation, double learningRate,
                          int warmupSteps, Scheduler scheduler, double weightDecay, double beta1, double beta2,
                          double epsilon, double maxGradNorm, long seed, int evalEvery, int earlyStoppingPatience,
                          int saveEvery, int saveTotalLimit, boolean gradientCheckpointing) {

    /** Learning-rate decay after warm-up. */
    public enum Scheduler { LINEAR, COSINE }

    public TrainConfig {
        require(epochs >= 1, "epochs must be at least 1, got " + epochs);
        require(maxSteps >= 0, "max_steps must be 0 (use epochs) or positive, got " + maxSteps);
        require(microBatchSize >= 1, "micro batch size must be at least 1, got " + microBatchSize);
        require(gradientAccumulation >= 1, "gradient accumulation must be at least 1, got " + gradientAccumulation);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
        require(warmupSteps >= 0, "warm-up steps must not be negative, got " + warmupSteps);
        require(scheduler != null, "scheduler is required (linear or cosine)");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must not be negative, got " + weightDecay);
        require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        require(epsilon > 0, "AdamW epsilon must be positive, got " + epsilon);
        require(maxGradNorm >= 0, "max grad norm must be 0 (off) or positive, got " + maxGradNorm);
        require(evalEvery >= 0 && earlyStoppingPatience >= 0 && saveEvery >= 0 && saveTotalLimit >= 0,
                "eval/save intervals, patience and the checkpoint limit must not be negative");
    }

    /** One epoch, micro-batch 4, no accumulation, lr 2e-4, no warm-up, linear decay, no decay, clip 1.0, seed 42, no checkpointing. */
    public static TrainConfig defaults() {
        return new TrainConfig(1, 0, 4, 1, 2e-4, 0, Scheduler.LINEAR, 0.0, 0.9, 0.999, 1e-8, 1.0, 42, 0, 0, 0, 0, false);
    }

    /** Sequences one optimizer step consumes (the last step of an epoch may take fewer). */
    public int sequencesPerStep() {
        return microBatchSize * gradientAccumulation;
    }

    /** Optimizer steps of the whole run over {@code sequences} training sequences. */
    public int totalSteps(int sequences) {
        return maxSteps > 0 ? maxSteps : epochs * stepsPerEpoch(sequences);
    }

    /** Steps to see every sequence once; an epoch's last step takes what is left. */
    public int stepsPerEpoch(int sequences) {
        return Math.max(1, (sequences + sequencesPerStep() - 1) / sequencesPerStep());
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(value, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withMaxSteps(int value) {
        return new TrainConfig(epochs, value, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withBatch(int micro, int accumulation) {
        return new TrainConfig(epochs, maxSteps, micro, accumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withSchedule(double lr, int warmup, Scheduler value) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, lr, warmup, value,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withOptimizer(double decay, double b1, double b2, double eps, double clip) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                decay, b1, b2, eps, clip, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withSeed(long value) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, value, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withEvaluation(int every, int patience) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, every, patience, saveEvery, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withSaveEvery(int value) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, value, saveTotalLimit, gradientCheckpointing);
    }

    public TrainConfig withSaveTotalLimit(int value) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, value,
                gradientCheckpointing);
    }

    public TrainConfig withGradientCheckpointing(boolean value) {
        return new TrainConfig(epochs, maxSteps, microBatchSize, gradientAccumulation, learningRate, warmupSteps, scheduler,
                weightDecay, beta1, beta2, epsilon, maxGradNorm, seed, evalEvery, earlyStoppingPatience, saveEvery, saveTotalLimit, value);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
