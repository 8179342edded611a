package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.cli.TeamApiOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code POST /v1/fine_tuning/jobs} from options; anything left out is the API's default or {@code auto}. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a fine-tuning job on an uploaded file (file-…) or a dataset (ds-…).",
                "Hyperparameters left out are \"auto\"; LoRA settings left out are the service's defaults."})
public class CreateJobCommand extends ApiCommand {

    @Mixin
    TeamApiOptions api;

    @Option(names = "--model", required = true, description = "Base model: installed name, org/name[@revision], or a folder where allowed.")
    String model;

    @Option(names = {"--training-file", "--data"}, required = true, paramLabel = "ID", description = "Uploaded file id or dataset id.")
    String trainingFile;

    @Option(names = "--validation-file", paramLabel = "ID", description = "Uploaded validation file id.")
    String validationFile;

    @Option(names = "--suffix", description = "Part of the fine-tuned model's name (up to 64 characters).")
    String suffix;

    @Option(names = "--seed", description = "Seed of the run (default: drawn by the service).")
    Long seed;

    @Option(names = "--epochs", description = "n_epochs (default auto).")
    Integer epochs;

    @Option(names = "--batch-size", description = "batch_size: sequences per optimizer step (default auto).")
    Integer batchSize;

    @Option(names = "--lr-multiplier", description = "learning_rate_multiplier (default auto = 1).")
    Double lrMultiplier;

    @Option(names = "--lora-r", description = "LoRA rank.")
    Integer r;

    @Option(names = "--lora-alpha", description = "LoRA alpha.")
    Double alpha;

    @Option(names = "--lora-dropout", description = "LoRA dropout.")
    Double dropout;

    @Option(names = "--target-modules", split = ",", paramLabel = "LIST", description = "q_proj,v_proj,... or all-linear.")
    List<String> targetModules;

    @Option(names = "--qlora", description = "QLoRA: the base model in NF4.")
    boolean qlora;

    @Option(names = "--max-seq-length", description = "Tokens per example.")
    Integer maxSeqLength;

    @Option(names = "--packing", description = "Pack several examples per sequence.")
    boolean packing;

    @Option(names = "--learning-rate", description = "Peak learning rate before the multiplier.")
    Double learningRate;

    @Option(names = "--scheduler", description = "linear or cosine.")
    String scheduler;

    @Option(names = "--warmup-ratio", description = "Share of the steps spent warming up.")
    Double warmupRatio;

    @Option(names = "--save-every", description = "Steps between checkpoints (default auto).")
    Integer saveEvery;

    @Option(names = "--eval-every", description = "Steps between evaluations (default auto).")
    Integer evalEvery;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "A metadata pair; repeatable.")
    Map<String, String> metadata;

    @Option(names = "--follow", description = "Then follow the job's progress until it ends.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        TeamApi client = api.teamApi();
        JsonNode job = client.send("POST", JobsCommand.JOBS, body());
        if (!printedJson(job)) {
            out().println(JobsCommand.summary(job));
            out().flush();
        }
        if (follow) {
            return new JobFollower(client, out(), err()).follow(job.path("id").asText());
        }
        return 0;
    }

    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("training_file", trainingFile);
        put(body, "validation_file", validationFile);
        put(body, "suffix", suffix);
        put(body, "seed", seed);
        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        put(hyperparameters, "n_epochs", epochs);
        put(hyperparameters, "batch_size", batchSize);
        put(hyperparameters, "learning_rate_multiplier", lrMultiplier);
        if (!hyperparameters.isEmpty()) {
            body.put("method", Map.of("type", "supervised", "supervised", Map.of("hyperparameters", hyperparameters)));
        }
        Map<String, Object> lora = new LinkedHashMap<>();
        put(lora, "r", r);
        put(lora, "alpha", alpha);
        put(lora, "dropout", dropout);
        put(lora, "target_modules", targetModules);
        if (qlora) {
            lora.put("quantization", "nf4");
        }
        put(lora, "max_seq_length", maxSeqLength);
        if (packing) {
            lora.put("packing", true);
        }
        put(lora, "learning_rate", learningRate);
        put(lora, "scheduler", scheduler);
        put(lora, "warmup_ratio", warmupRatio);
        put(lora, "save_every", saveEvery);
        put(lora, "eval_every", evalEvery);
        if (!lora.isEmpty()) {
            body.put("lora", lora);
        }
        if (metadata != null && !metadata.isEmpty()) {
            body.put("metadata", metadata);
        }
        return body;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
