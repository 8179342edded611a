package dev.tunewright.trainer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Our {@code lora} extension block. A request's block may leave any field null (the default); {@link #withDefaults}
 * fills every one, and the job stores and returns that resolved block.
 *
 * @param r                         LoRA rank (default 16)
 * @param alpha                     scale numerator (default: equal to r, so the scale alpha/r is 1)
 * @param dropout                   adapter input dropout in [0, 1) (default 0)
 * @param targetModules             HF module names, or {@code all-linear} (default)
 * @param useRslora                 scale by alpha/sqrt(r) instead of alpha/r (default false)
 * @param quantization              {@code none} (LoRA, default) or {@code nf4} (QLoRA)
 * @param gradientCheckpointing     recompute each layer in backward (default false)
 * @param maxSeqLength              tokens per example, longer ones are cut (default 2048)
 * @param packing                   several examples per sequence (default false)
 * @param learningRate              peak learning rate before learning_rate_multiplier (default 2e-4)
 * @param scheduler                 {@code linear} (default) or {@code cosine} decay after warm-up
 * @param warmupRatio               share of the steps spent warming up, in [0, 0.5] (default 0)
 * @param gradientAccumulationSteps micro-batches per optimizer step; null until resolved from batch_size (auto)
 * @param saveEvery                 steps between checkpoints; null until resolved (auto: a tenth of the run)
 * @param evalEvery                 steps between evaluations, 0 for the end only; null until resolved (auto: saveEvery)
 * @param earlyStoppingPatience     evaluations without improvement before stopping, 0 never (default)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LoraSettings(Integer r, Double alpha, Double dropout, List<String> targetModules, Boolean useRslora,
        String quantization, Boolean gradientCheckpointing, Integer maxSeqLength, Boolean packing, Double learningRate,
        String scheduler, Double warmupRatio, Integer gradientAccumulationSteps, Integer saveEvery, Integer evalEvery,
        Integer earlyStoppingPatience) {

    public static final String ALL_LINEAR = "all-linear";

    public static LoraSettings none() {
        return new LoraSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Every field but the step-dependent ones filled with its default. */
    public LoraSettings withDefaults(double defaultLearningRate) {
        int rank = r == null ? 16 : r;
        return new LoraSettings(rank, alpha == null ? (double) rank : alpha, dropout == null ? 0.0 : dropout,
                targetModules == null ? List.of(ALL_LINEAR) : targetModules, useRslora != null && useRslora,
                quantization == null ? "none" : quantization, gradientCheckpointing != null && gradientCheckpointing,
                maxSeqLength == null ? 2048 : maxSeqLength, packing != null && packing,
                learningRate == null ? defaultLearningRate : learningRate, scheduler == null ? "linear" : scheduler,
                warmupRatio == null ? 0.0 : warmupRatio, gradientAccumulationSteps, saveEvery, evalEvery,
                earlyStoppingPatience == null ? 0 : earlyStoppingPatience);
    }

    public LoraSettings withSteps(int accumulation, int save, int eval) {
        return new LoraSettings(r, alpha, dropout, targetModules, useRslora, quantization, gradientCheckpointing,
                maxSeqLength, packing, learningRate, scheduler, warmupRatio, accumulation, save, eval,
                earlyStoppingPatience);
    }

    public boolean qlora() {
        return "nf4".equals(quantization);
    }
}
