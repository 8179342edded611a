package dev.tunewright.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.cli.evals.EvaluationTables;
import dev.tunewright.cli.jobs.JobFollower;
import dev.tunewright.stack.StackException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The mission of the platform in one run, through the gateway with one team's key, each step printed as it happens:
 * the demo tickets, the base model, the upload, the dataset with its stratified holdout, a LoRA job followed live,
 * the evaluation's base-versus-fine-tuned table with its verdict, the registered adapter and the report's path.
 * Everything goes through the public API a team uses; nothing here reaches into a service.
 */
public final class QuickstartFlow {

    /** The name a quickstart adapter is registered under by default (the job's suffix). */
    public static final String ADAPTER = "support-tickets";
    private static final int STEPS = 7;
    private static final Duration POLL = Duration.ofMillis(500);

    private final TeamApi api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Duration timeout;
    private final String adapter;

    /** What the flow made, for the caller (and the end-to-end test) to check. */
    public record Result(String fileId, String datasetId, String jobId, String fineTunedModel, String evaluationId,
            String verdict, String adapter, int adapterVersion, Path report) {
    }

    /** The base model: a name the stack serves (a hub id or an installed folder), and whether it is the tiny demo. */
    public record Model(String name, boolean demo) {
    }

    public QuickstartFlow(TeamApi api, PrintWriter out, PrintWriter err, Duration timeout) {
        this(api, out, err, timeout, ADAPTER);
    }

    /** A flow that registers its adapter as {@code adapter}. */
    public QuickstartFlow(TeamApi api, PrintWriter out, PrintWriter err, Duration timeout, String adapter) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.timeout = timeout;
        this.adapter = adapter;
    }

    /**
     * Runs the flow on {@code model}, writing the demo data under {@code workDir} and the report beside it.
     *
     * @throws StackException naming the step that failed and why
     */
    public Result run(Model model, Path workDir) {
        Path data = DemoTickets.write(workDir.resolve("support-tickets.jsonl"));
        step(1, "demo data: " + DemoTickets.ROWS + " support tickets labelled " + String.join(" / ", DemoTickets.LABELS)
                + " (Alpaca format, the same every run) in " + data);
        if (model.demo()) {
            step(2, "model: " + model.name() + ", a TINY RANDOMLY INITIALISED demo model (" + DemoModel.LAYERS
                    + " layers, hidden size " + DemoModel.HIDDEN + "): the numbers below show the platform's mechanics,"
                    + " not quality. For a real run: ./ftctl quickstart --model Qwen/Qwen2.5-0.5B-Instruct");
        } else {
            step(2, "model: " + model.name());
        }

        JsonNode file = api.upload("/v1/files", Map.of("purpose", "fine-tune"), data);
        step(3, "uploaded " + file.path("id").asText() + " (" + file.path("bytes").asLong() + " bytes, status "
                + file.path("status").asText() + ")");

        Map<String, Object> datasetRequest = new LinkedHashMap<>();
        datasetRequest.put("file_id", file.path("id").asText());
        datasetRequest.put("validation_fraction", 0.1);
        datasetRequest.put("base_model", model.name());
        JsonNode dataset = api.send("POST", "/v1/datasets", datasetRequest);
        JsonNode stats = dataset.path("stats");
        step(4, "dataset " + dataset.path("id").asText() + ": " + stats.path("train_rows").asInt() + " training rows, "
                + stats.path("validation_rows").asInt() + " held out" + (stats.path("stratified").asBoolean()
                ? " (stratified by label)" : "") + tokens(stats.path("tokens")));

        JsonNode job = api.send("POST", "/v1/fine_tuning/jobs", jobRequest(model, dataset.path("id").asText(), adapter));
        String jobId = job.path("id").asText();
        step(5, "fine-tuning job " + jobId + " (LoRA) queued; following it:");
        int ended = new JobFollower(api, out, err).follow(jobId);
        job = api.get("/v1/fine_tuning/jobs/" + jobId, Map.of());
        if (ended != 0) {
            throw new StackException("the job " + jobId + " ended " + job.path("status").asText()
                    + errorOf(job) + "; see: ./ftctl jobs events " + jobId);
        }
        String fineTuned = job.path("fine_tuned_model").asText();

        step(6, "evaluating base against " + fineTuned + " on the held-out rows the training never saw");
        JsonNode evaluation = await("the evaluation of " + jobId, () -> evaluationOf(jobId)
                .filter(e -> !"queued".equals(e.path("status").asText()) && !"running".equals(e.path("status").asText())));
        if (!"succeeded".equals(evaluation.path("status").asText())) {
            throw new StackException("the evaluation " + evaluation.path("id").asText() + " "
                    + evaluation.path("status").asText() + errorOf(evaluation));
        }
        out.println();
        EvaluationTables.print(out, evaluation);
        Path report = workDir.resolve("report-" + evaluation.path("id").asText() + ".html");
        api.download(evaluation.path("report_url").asText(), report);

        JsonNode version = await("the registration of " + fineTuned, () -> registered(jobId));
        out.println();
        step(7, "adapter " + adapter + " version " + version.path("version").asInt() + " registered as " + fineTuned
                + " (serving readiness: " + version.path("readiness").asText() + ", verdict: "
                + version.path("verdict").asText("pending").replace('_', ' ') + ")");
        out.println("report: " + report.toAbsolutePath());
        out.println("next:   ./ftctl adapters show " + adapter + "   ./ftctl evals show " + evaluation.path("id").asText()
                + "   ./ftctl jobs show " + jobId);
        out.flush();
        return new Result(file.path("id").asText(), dataset.path("id").asText(), jobId, fineTuned,
                evaluation.path("id").asText(), evaluation.path("verdict").path("result").asText(), adapter,
                version.path("version").asInt(), report);
    }

    /**
     * The job: LoRA on the dataset. The demo model gets settings that make a tiny random model learn something in a
     * few minutes on two cores (a high learning rate, a few epochs); a real model gets the platform's defaults.
     */
    static Map<String, Object> jobRequest(Model model, String datasetId, String adapter) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("model", model.name());
        request.put("training_file", datasetId);
        request.put("suffix", adapter);
        request.put("seed", 42);
        if (model.demo()) {
            request.put("method", Map.of("type", "supervised", "supervised", Map.of("hyperparameters",
                    Map.of("n_epochs", 3, "batch_size", 8))));
            request.put("lora", Map.of("r", 8, "learning_rate", 5e-3));
        } else {
            request.put("method", Map.of("type", "supervised"));
        }
        return request;
    }

    private Optional<JsonNode> evaluationOf(String jobId) {
        for (JsonNode evaluation : api.get("/v1/evaluations", Map.of("limit", 100)).path("data")) {
            // the job's own evaluation, not one of a checkpoint
            if (jobId.equals(evaluation.path("job_id").asText()) && !evaluation.hasNonNull("checkpoint_step")) {
                return Optional.of(api.get("/v1/evaluations/" + evaluation.path("id").asText(), Map.of()));
            }
        }
        return Optional.empty();
    }

    private Optional<JsonNode> registered(String jobId) {
        JsonNode found;
        try {
            found = api.get("/v1/adapters/" + adapter, Map.of());
        } catch (TeamApi.ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        for (JsonNode version : found.path("versions")) {
            if (jobId.equals(version.path("job_id").asText()) && !version.path("verdict").isNull()
                    && !version.path("verdict").isMissingNode()) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    private JsonNode await(String what, Supplier<Optional<JsonNode>> poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<JsonNode> found = poll.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("gave up waiting for " + what + " after " + timeout.toMinutes() + " min");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + what);
            }
        }
    }

    private void step(int step, String text) {
        out.println(String.format(Locale.ROOT, "[%d/%d] %s", step, STEPS, text));
        out.flush();
    }

    private static String tokens(JsonNode tokens) {
        if (!tokens.isObject()) {
            return "";
        }
        return String.format(Locale.ROOT, "; %d to %d tokens a row in the model's chat template",
                tokens.path("tokens").path("min").asInt(), tokens.path("tokens").path("max").asInt());
    }

    private static String errorOf(JsonNode object) {
        JsonNode error = object.path("error");
        if (error.isObject() && error.hasNonNull("message")) {
            return ": " + error.path("message").asText();
        }
        return error.isTextual() ? ": " + error.asText() : "";
    }

    /** The demo's files live beside the stack's state, so that a rerun finds (and replaces) them. */
    public static Path workDir(Path stateDir) {
        try {
            return Files.createDirectories(stateDir.resolve("quickstart"));
        } catch (java.io.IOException e) {
            throw new StackException("cannot create " + stateDir.resolve("quickstart") + ": " + e.getMessage(), e);
        }
    }
}
