package dev.tunewright.engine.run;

import java.util.Locale;

/**
 * The settings of a fine-tuning run, by the names the job API gives them (OpenAI's where it has the concept, PEFT's
 * and Hugging Face's otherwise), so that a caller maps an {@link InvalidSettingException} to its own parameter.
 */
public enum Setting {
    MODEL, TRAINING_FILE, VALIDATION_FILE, RUN_DIR, RESUME, DEVICE, DTYPE,
    R, ALPHA, DROPOUT, TARGET_MODULES,
    N_EPOCHS, MAX_STEPS, BATCH_SIZE, GRADIENT_ACCUMULATION_STEPS, LEARNING_RATE, WARMUP_STEPS, WARMUP_RATIO, SCHEDULER,
    WEIGHT_DECAY, MAX_GRAD_NORM, EVAL_EVERY, EARLY_STOPPING_PATIENCE, SAVE_EVERY, SAVE_TOTAL_LIMIT,
    MAX_SEQ_LENGTH;

    /** The setting's name in snake case: {@code max_seq_length}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
