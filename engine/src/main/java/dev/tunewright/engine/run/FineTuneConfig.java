package dev.tunewright.engine.run;

import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.train.TrainConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one fine-tuning run is: what it trains, on what, how, where it writes and whether it continues an
 * earlier attempt. Build it with {@link #builder()}, which checks every setting and names the one at fault; the
 * records it holds check themselves again.
 *
 * @param model          the base model folder and the name it is recorded under
 * @param trainingFile   the training JSONL (rows of the platform's row contract)
 * @param validationFile the validation JSONL, null for none (no evaluation, no best adapter, no early stopping)
 * @param lora           rank, alpha, dropout, target modules, rsLoRA
 * @param training       the optimisation (epochs or steps, batch, schedule, AdamW, seed, evaluation, checkpoints,
 *                       gradient checkpointing)
 * @param warmupRatio    warm-up as a share of the run's steps (Hugging Face's {@code warmup_ratio}), resolved once the
 *                       data fixes the step count; 0 uses {@code training.warmupSteps()}
 * @param data           max_seq_length, train_on_inputs, chat template variables
 * @param qlora          quantize the frozen base linears to NF4 as they are read
 * @param packing        pack several examples per sequence of max_seq_length tokens
 * @param device         {@code auto}, {@code cpu}, {@code gpu} or {@code cuda:N}
 * @param dtype          what the frozen base computes in; adapters and optimizer state stay float32
 * @param runDir         the run folder ({@link RunFolder})
 * @param resume         whether to continue the run folder's checkpoints
 */
public record FineTuneConfig(BaseModel model, Path trainingFile, Path validationFile, LoraConfig lora, TrainConfig training,
                             double warmupRatio, DataOptions data, boolean qlora, boolean packing, String device, ComputeDtype dtype, Path runDir,
                             Resume resume) {

    public FineTuneConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trainingFile, "trainingFile");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(resume, "resume");
        device = device == null ? "auto" : device;
        dtype = dtype == null ? ComputeDtype.AUTO : dtype;
    }

    public static FineTuneConfigBuilder builder() {
        return new FineTuneConfigBuilder();
    }

    public RunFolder folder() {
        return new RunFolder(runDir);
    }

    /** The warm-up steps of a run of {@code totalSteps}: {@code ceil(warmupRatio · totalSteps)}, as Hugging Face rounds. */
    int warmupSteps(int totalSteps) {
        return warmupRatio > 0 ? (int) Math.ceil(warmupRatio * totalSteps) : training.warmupSteps();
    }
}
