package dev.tunewright.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.FineTuningJob;
import com.openai.models.finetuning.jobs.FineTuningJobEvent;
import com.openai.models.finetuning.jobs.JobCreateParams;
import com.openai.models.finetuning.methods.SupervisedHyperparameters;
import com.openai.models.finetuning.methods.SupervisedMethod;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.stack.LocalStack;
import dev.tunewright.stack.StackConfig;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks of docs/benchmarks.md for fine-tuning jobs, on the embedded stack; not a timed test, it prints
 * the numbers. {@code TUNEWRIGHT_BENCHMARK=1 mvn -B verify -pl e2e-tests -am -Dit.test=FineTuningBenchmarkIT
 * -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}.
 * <ul>
 *   <li>Service overhead: one tiny run as a job in the trainer's worker and the same run (same splits, settings,
 *   seed) with {@code ftctl model train} in its own JVM, one after the other on the idle stack: wall-clock time per
 *   step (the worker's from its steps' end times, the CLI's from its metrics file as each line appears) and the
 *   engine's own tokens/s per step.</li>
 *   <li>Latency over 50 jobs, one after another: from sending the POST to receiving the "started" event on the
 *   job's live stream, and from a step's end (its {@code ended_at_ms}) to its event arriving on the stream.</li>
 * </ul>
 */
@EnabledIfEnvironmentVariable(named = "TUNEWRIGHT_BENCHMARK", matches = "1")
class FineTuningBenchmarkIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LATENCY_JOBS = 50;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void serviceOverheadAndLatencies() throws Exception {
        Path repo = Path.of(System.getProperty("tunewright.repo.dir"));
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), repo).withHealthTimeout(Duration.ofSeconds(240));
        StateDir stateDir = new StateDir(config.stateDir());
        stateDir.prepare();
        Path model = TinyModels.qwen2(stateDir.models().resolve("tiny"));
        TrainingTask.writeTokenizer(model);
        try (LocalStack stack = new LocalStack(config, System.out)) {
            StackState state = stack.start();
            String gateway = state.gatewayUrl().orElseThrow();
            String key = teamKey(stateDir);
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).build();
            System.out.println("machine: " + cpu() + "; load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());

            Path data = temp.resolve("bench.jsonl");
            Files.writeString(data, TrainingTask.chatJsonl(TrainingTask.rows(440, 3)));
            String file = client.files().create(FileCreateParams.builder().file(data).purpose(FilePurpose.FINE_TUNE).build()).id();
            FineTuningJob job = client.fineTuning().jobs().create(job(file, 1, 1000));
            job = awaitEnd(client, job.id());
            assertThat(job.status()).isEqualTo(FineTuningJob.Status.SUCCEEDED);
            List<double[]> worker = new ArrayList<>();
            client.fineTuning().jobs().listEvents(job.id()).autoPager().stream()
                    .filter(e -> FineTuningJobEvent.Type.METRICS.equals(e.type().orElseThrow()))
                    .forEach(e -> {
                        JsonNode d = e._data().convert(JsonNode.class);
                        worker.add(new double[] {d.path("step").asInt(), d.path("ended_at_ms").asDouble(),
                                d.path("tokens_per_second").asDouble()});
                    });
            worker.sort((a, b) -> Double.compare(a[0], b[0]));
            String dataset = job._additionalProperties().get("dataset_id").convert(String.class);
            Path train = download(gateway, key, "/v1/datasets/" + dataset + "/splits/train", temp.resolve("train.jsonl"));
            Path validation = download(gateway, key, "/v1/datasets/" + dataset + "/splits/validation", temp.resolve("val.jsonl"));
            List<double[]> cli = ftctlTrain(repo, model, train, validation);
            report("worker (trainer-service, embedded stack)", worker);
            report("ftctl model train", cli);
            double workerStep = wallPerStep(worker);
            double cliStep = wallPerStep(cli);
            System.out.printf(Locale.ROOT, "service overhead: wall time per step worker/ftctl = %.3f; tokens/s (engine, median)"
                    + " worker/ftctl = %.3f%n", workerStep / cliStep, median(worker, 2) / median(cli, 2));

            latencies(client, gateway, key, file);
        }
    }

    private void latencies(OpenAIClient client, String gateway, String key, String file) throws Exception {
        List<Double> toRunning = new ArrayList<>();
        List<Double> toEvent = new ArrayList<>();
        String dataset = null;
        for (int i = 0; i < LATENCY_JOBS; i++) {
            long posted = System.currentTimeMillis();
            FineTuningJob job = client.fineTuning().jobs().create(job(dataset == null ? file : dataset, 1, 1000));
            dataset = dataset != null ? dataset : job._additionalProperties().get("dataset_id").convert(String.class);
            long opened = System.currentTimeMillis();
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/fine_tuning/jobs/"
                            + job.id() + "/events?stream=true")).header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith("data:") || line.contains("[DONE]")) {
                        continue;
                    }
                    long arrived = System.currentTimeMillis();
                    JsonNode event = JSON.readTree(line.substring(5));
                    if (event.path("message").asText().startsWith("Fine-tuning job started")) {
                        toRunning.add((double) (arrived - posted));
                    }
                    long ended = event.path("data").path("ended_at_ms").asLong(0);
                    if ("metrics".equals(event.path("type").asText()) && ended >= opened) {
                        toEvent.add((double) (arrived - ended));
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "latency over %d jobs: POST to running median %.0f ms, p99 %.0f ms (%d jobs);"
                        + " step end to SSE event median %.1f ms, p99 %.1f ms (%d steps)%n", LATENCY_JOBS,
                percentile(toRunning, 50), percentile(toRunning, 99), toRunning.size(), percentile(toEvent, 50),
                percentile(toEvent, 99), toEvent.size());
    }

    /** 440 rows (396 train after the 10% split), LoRA r 4 on q/v, batches of 4, one evaluation at the end. */
    private static JobCreateParams job(String trainingFile, long epochs, int saveEvery) {
        return JobCreateParams.builder().model("tiny").trainingFile(trainingFile).seed(7L)
                .method(JobCreateParams.Method.builder().type(JobCreateParams.Method.Type.SUPERVISED)
                        .supervised(SupervisedMethod.builder().hyperparameters(SupervisedHyperparameters.builder()
                                .nEpochs(epochs).batchSize(4L).learningRateMultiplier(5.0).build()).build()).build())
                .putAdditionalBodyProperty("lora", JsonValue.from(Map.of("r", 4, "target_modules", List.of("q_proj", "v_proj"),
                        "save_every", saveEvery, "eval_every", 0, "learning_rate", 1e-3)))
                .build();
    }

    /** The same run with {@code ftctl model train} as ./ftctl starts it; each step's time is when its line appears. */
    private List<double[]> ftctlTrain(Path repo, Path model, Path train, Path validation) throws Exception {
        Path metrics = temp.resolve("cli-metrics.jsonl");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                repo.resolve("cli/target/ftctl.jar") + ":" + repo.resolve("cli/target/lib") + "/*",
                "dev.tunewright.cli.Ftctl", "model", "train", "--model", model.toString(), "--data", train.toString(),
                "--validation", validation.toString(), "--out", temp.resolve("cli-run").toString(), "--lora-r", "4",
                "--lora-alpha", "4", "--target-modules", "q_proj,v_proj", "--epochs", "1", "--batch-size", "4",
                "--grad-accum", "1", "--lr", "5e-3", "--seed", "7", "--save-every", "0", "--eval-every", "0",
                "--device", "cpu", "--json-metrics", metrics.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("cli.log").toFile()).start();
        List<double[]> steps = new ArrayList<>();
        while (process.isAlive() || Files.exists(metrics) && Files.readAllLines(metrics).size() > steps.size()) {
            if (Files.exists(metrics)) {
                List<String> lines = Files.readAllLines(metrics);
                long now = System.currentTimeMillis();
                for (int i = steps.size(); i < lines.size() && lines.get(i).endsWith("}"); i++) {
                    JsonNode step = JSON.readTree(lines.get(i));
                    steps.add(new double[] {step.path("step").asInt(), now, step.path("tokens_per_second").asDouble()});
                }
            }
            Thread.sleep(5);
        }
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(temp.resolve("cli.log"))).isZero();
        return steps;
    }

    private static void report(String who, List<double[]> steps) {
        System.out.printf(Locale.ROOT, "%s: %d steps, wall %.2f ms/step (steps 2..n), engine tokens/s median %.0f%n", who,
                steps.size(), wallPerStep(steps), median(steps, 2));
    }

    private static double wallPerStep(List<double[]> steps) {
        double[] first = steps.get(1);
        double[] last = steps.get(steps.size() - 1);
        return (last[1] - first[1]) / (last[0] - first[0]);
    }

    private static double median(List<double[]> steps, int column) {
        List<Double> values = new ArrayList<>();
        steps.stream().skip(2).forEach(s -> values.add(s[column]));
        return percentile(values, 50);
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private Path download(String gateway, String key, String path, Path target) throws IOException, InterruptedException {
        HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofFile(target));
        assertThat(response.statusCode()).isEqualTo(200);
        return target;
    }

    private static FineTuningJob awaitEnd(OpenAIClient client, String id) throws InterruptedException {
        FineTuningJob job = client.fineTuning().jobs().retrieve(id);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (!FineTuningJob.Status.SUCCEEDED.equals(job.status()) && !FineTuningJob.Status.FAILED.equals(job.status())
                && !FineTuningJob.Status.CANCELLED.equals(job.status()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            job = client.fineTuning().jobs().retrieve(id);
        }
        return job;
    }

    private static String teamKey(StateDir stateDir) throws IOException {
        StringWriter out = new StringWriter();
        var commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute("teams", "create", "bench", "--json", "--state-dir", stateDir.toString())).isZero();
        return JSON.readTree(out.toString()).path("api_key").path("key").asText();
    }

    private static String cpu() throws IOException {
        String model = "unknown CPU";
        String flags = "";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name") && model.startsWith("unknown")) {
                model = line.substring(line.indexOf(':') + 1).trim();
            }
            if (line.startsWith("flags") && flags.isEmpty()) {
                flags = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        List<String> vector = new ArrayList<>();
        for (String flag : flags.split(" ")) {
            if (flag.startsWith("avx") || flag.equals("fma") || flag.startsWith("sse4") || flag.equals("f16c")) {
                vector.add(flag);
            }
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, flags " + String.join(" ", vector);
    }
}
