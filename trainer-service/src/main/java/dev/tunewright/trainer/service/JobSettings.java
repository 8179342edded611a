package dev.tunewright.trainer.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tunewright.trainer.config.TrainerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's settings with every {@code auto} decided, once the number of training rows is known. What is decided
 * here is stored with the job, returned by the API and carried in the adapter's lineage, so a run can be repeated
 * with exactly these numbers. How {@code auto} resolves (README, "Fine-tuning jobs"):
 * <ul>
 *   <li>{@code n_epochs}: 3, raised so the run sees at least 100 examples (at most 25 epochs) and lowered so it sees
 *   at most 25,000 (at least 1): OpenAI's published rule.</li>
 *   <li>{@code batch_size}: 0.2% of the training rows rounded up to a power of two, from 1 up to
 *   {@code tunewright.trainer.defaults.max-auto-batch-size} (32); rounded up to a multiple of an explicit
 *   {@code gradient_accumulation_steps}.</li>
 *   <li>{@code learning_rate_multiplier}: 1, on {@code lora.learning_rate} (default 2e-4).</li>
 *   <li>{@code lora.gradient_accumulation_steps}: the batch is split into micro-batches of at most
 *   {@code tunewright.trainer.defaults.max-micro-batch} (4) sequences, the largest such divisor of batch_size.</li>
 *   <li>{@code lora.save_every}: a tenth of the estimated steps (at least 1), so a resumed job repeats at most a tenth
 *   of its run; {@code lora.eval_every}: the same, so every checkpoint carries validation metrics.</li>
 * </ul>
 *
 * @param learningRate the peak learning rate the run uses: {@code lora.learning_rate × learning_rate_multiplier}
 * @param microBatchSize sequences per forward and backward pass ({@code batch_size / gradient_accumulation_steps})
 */
public record JobSettings(@JsonProperty("n_epochs") int nEpochs, @JsonProperty("batch_size") int batchSize,
        @JsonProperty("learning_rate_multiplier") double learningRateMultiplier, LoraSettings lora, double learningRate,
        int microBatchSize, int estimatedSteps) {

    static final int TARGET_EPOCHS = 3;
    static final long MIN_TARGET_EXAMPLES = 100;
    static final long MAX_TARGET_EXAMPLES = 25_000;
    static final int MAX_AUTO_EPOCHS = 25;

    public static JobSettings resolve(JobRequest request, long trainRows, TrainerConfig.Defaults defaults) {
        long rows = Math.max(1, trainRows);
        Hyperparameters asked = request.hyperparameters();
        LoraSettings lora = request.lora().withDefaults(defaults.learningRate());
        int epochs = asked.nEpochs() != null ? asked.nEpochs() : autoEpochs(rows);
        Integer accumulation = lora.gradientAccumulationSteps();
        int batch = asked.batchSize() != null ? asked.batchSize() : autoBatch(rows, defaults.maxAutoBatchSize());
        if (asked.batchSize() == null && accumulation != null && batch % accumulation != 0) {
            batch = (batch / accumulation + 1) * accumulation;
        }
        if (accumulation == null) {
            accumulation = batch / largestDivisorAtMost(batch, defaults.maxMicroBatch());
        }
        double multiplier = asked.learningRateMultiplier() != null ? asked.learningRateMultiplier() : 1.0;
        int estimatedSteps = (int) Math.min(Integer.MAX_VALUE, epochs * ((rows + batch - 1) / batch));
        int saveEvery = lora.saveEvery() != null ? lora.saveEvery() : Math.max(1, (estimatedSteps + 9) / 10);
        int evalEvery = lora.evalEvery() != null ? lora.evalEvery() : saveEvery;
        return new JobSettings(epochs, batch, multiplier, lora.withSteps(accumulation, saveEvery, evalEvery),
                lora.learningRate() * multiplier, batch / accumulation, estimatedSteps);
    }

    static int autoEpochs(long rows) {
        if (rows * TARGET_EPOCHS < MIN_TARGET_EXAMPLES) {
            return (int) Math.min(MAX_AUTO_EPOCHS, (MIN_TARGET_EXAMPLES + rows - 1) / rows);
        }
        if (rows * TARGET_EPOCHS > MAX_TARGET_EXAMPLES) {
            return (int) Math.max(1, MAX_TARGET_EXAMPLES / rows);
        }
        return TARGET_EPOCHS;
    }

    static int autoBatch(long rows, int max) {
        long wanted = Math.max(1, (rows * 2 + 999) / 1000);
        int batch = 1;
        while (batch < wanted && batch < max) {
            batch *= 2;
        }
        return Math.min(batch, max);
    }

    private static int largestDivisorAtMost(int n, int max) {
        for (int d = Math.min(n, Math.max(1, max)); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    public Hyperparameters hyperparameters() {
        return new Hyperparameters(nEpochs, batchSize, learningRateMultiplier);
    }

    /** Every setting by its API name, as lineage and {@code job.created} carry them. */
    public Map<String, Object> asMap(long seed) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n_epochs", nEpochs);
        out.put("batch_size", batchSize);
        out.put("learning_rate_multiplier", learningRateMultiplier);
        out.put("learning_rate", learningRate);
        out.put("micro_batch_size", microBatchSize);
        out.put("seed", seed);
        out.put("lora.r", lora.r());
        out.put("lora.alpha", lora.alpha());
        out.put("lora.dropout", lora.dropout());
        out.put("lora.target_modules", String.join(",", lora.targetModules()));
        out.put("lora.use_rslora", lora.useRslora());
        out.put("lora.quantization", lora.quantization());
        out.put("lora.gradient_checkpointing", lora.gradientCheckpointing());
        out.put("lora.max_seq_length", lora.maxSeqLength());
        out.put("lora.packing", lora.packing());
        out.put("lora.scheduler", lora.scheduler());
        out.put("lora.warmup_ratio", lora.warmupRatio());
        out.put("lora.gradient_accumulation_steps", lora.gradientAccumulationSteps());
        out.put("lora.save_every", lora.saveEvery());
        out.put("lora.eval_every", lora.evalEvery());
        out.put("lora.early_stopping_patience", lora.earlyStoppingPatience());
        return out;
    }
}
