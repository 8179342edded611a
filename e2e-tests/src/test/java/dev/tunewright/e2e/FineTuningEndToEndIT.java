package dev.tunewright.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.FineTuningJob;
import com.openai.models.finetuning.jobs.FineTuningJobEvent;
import com.openai.models.finetuning.jobs.JobCreateParams;
import com.openai.models.finetuning.jobs.checkpoints.FineTuningJobCheckpoint;
import com.openai.models.finetuning.methods.SupervisedHyperparameters;
import com.openai.models.finetuning.methods.SupervisedMethod;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.stack.LocalStack;
import dev.tunewright.stack.LogTail;
import dev.tunewright.stack.Service;
import dev.tunewright.stack.StackConfig;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fine-tuning as a team does it with the official OpenAI Java SDK pointed at the gateway of the embedded stack:
 * upload a file, create a job on a tiny installed model, list it, retrieve it until it succeeds while
 * {@code ftctl jobs follow} shows it live, list its events and checkpoints, cancel a second job, and be told which
 * field is wrong for every bad request. Every call of the flow is the SDK's; only the upload of a file the dataset
 * service refuses is sent by hand, because the SDK drops the refused file's id from the answer.
 */
class FineTuningEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path temp;

    @Test
    void theOpenAiSdkFineTunesATinyModelThroughTheGatewayWhileFtctlFollowsIt() throws Exception {
        Path repo = Path.of(System.getProperty("tunewright.repo.dir"));
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), repo).withHealthTimeout(Duration.ofSeconds(240));
        StateDir stateDir = new StateDir(config.stateDir());
        stateDir.prepare();
        TrainingTask.writeTokenizer(TinyModels.qwen2(stateDir.models().resolve("tiny")));
        LocalStack stack = new LocalStack(config, System.out);
        ExecutorService follower = Executors.newSingleThreadExecutor();
        try {
            StackState state = stack.start();
            String gateway = state.gatewayUrl().orElseThrow();
            String key = teamKey("acme", stateDir);
            String otherKey = teamKey("globex", stateDir);
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key).build();
            OpenAIClient other = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(otherKey).build();

            Path data = temp.resolve("tickets.jsonl");
            Files.writeString(data, TrainingTask.chatJsonl(TrainingTask.rows(60, 1)));
            FileObject file = client.files().create(FileCreateParams.builder().file(data).purpose(FilePurpose.FINE_TUNE).build());
            assertThat(file.status()).isEqualTo(FileObject.Status.PROCESSED);

            FineTuningJob created = client.fineTuning().jobs().create(job(file.id(), 2).suffix("e2e").build());
            assertThat(created.id()).startsWith("ftjob-");
            assertThat(created.trainingFile()).isEqualTo(file.id());
            StringWriter followed = new StringWriter();
            Future<Integer> following = follower.submit(() -> ftctl(followed, "jobs", "follow", created.id(),
                    "--gateway-url", gateway, "--api-key", key));
            assertThat(client.fineTuning().jobs().list().data()).extracting(FineTuningJob::id).contains(created.id());

            FineTuningJob done = await(client, created.id(), job -> FineTuningJob.Status.SUCCEEDED.equals(job.status())
                    || FineTuningJob.Status.FAILED.equals(job.status()) || FineTuningJob.Status.CANCELLED.equals(job.status()));
            assertThat(done.status()).as("%s", done).isEqualTo(FineTuningJob.Status.SUCCEEDED);
            assertThat(done.fineTunedModel()).contains("ft:tiny:acme:e2e:" + created.id());
            assertThat(done.trainedTokens().orElseThrow()).isPositive();
            assertThat(done.resultFiles()).hasSize(1);
            assertThat(done.hyperparameters().nEpochs().orElseThrow().asInteger()).as("n_epochs resolved").isEqualTo(2);

            List<FineTuningJobEvent> events = new ArrayList<>();
            client.fineTuning().jobs().listEvents(created.id()).autoPager().forEach(events::add);
            assertThat(events).extracting(FineTuningJobEvent::message).contains("The job has successfully completed",
                    "Validating training file: " + file.id(), "Fine-tuning job started");
            assertThat(events).anyMatch(e -> FineTuningJobEvent.Type.METRICS.equals(e.type().orElseThrow()));
            List<FineTuningJobCheckpoint> checkpoints = client.fineTuning().jobs().checkpoints().list(created.id()).data();
            assertThat(checkpoints).isNotEmpty();
            assertThat(checkpoints.get(0).fineTunedModelCheckpoint()).startsWith(done.fineTunedModel().orElseThrow() + ":ckpt-step-");
            assertThat(checkpoints.get(0).metrics().trainLoss()).isPresent();

            assertThat(following.get(2, TimeUnit.MINUTES)).as("ftctl jobs follow: %s", followed).isZero();
            assertThat(followed.toString()).contains("Fine-tuning job started", "The job has successfully completed",
                    created.id() + "  succeeded");

            FineTuningJob second = client.fineTuning().jobs().create(job(file.id(), 50).build());
            await(client, second.id(), job -> FineTuningJob.Status.RUNNING.equals(job.status()));
            client.fineTuning().jobs().cancel(second.id());
            FineTuningJob cancelled = await(client, second.id(), job -> FineTuningJob.Status.CANCELLED.equals(job.status()));
            assertThat(cancelled.fineTunedModel()).isEmpty();

            assertRefused(() -> client.fineTuning().jobs().create(JobCreateParams.builder().model("no-such-model")
                    .trainingFile(file.id()).build()), 400, "model");
            assertRefused(() -> other.fineTuning().jobs().create(job(file.id(), 1).build()), 404, "training_file");
            String rejected = rejectedFileId(gateway, key);
            assertRefused(() -> client.fineTuning().jobs().create(job(rejected, 1).build()), 404, "training_file");
            assertRefused(() -> client.fineTuning().jobs().create(job(file.id(), 1000).build()), 400,
                    "method.supervised.hyperparameters.n_epochs");
            Map<String, JsonValue> tooMuch = new LinkedHashMap<>();
            for (int i = 0; i < 17; i++) {
                tooMuch.put("key" + i, JsonValue.from("value"));
            }
            assertRefused(() -> client.fineTuning().jobs().create(job(file.id(), 1).metadata(
                    JobCreateParams.Metadata.builder().additionalProperties(tooMuch).build()).build()), 400, "metadata");
            assertThat(client.fineTuning().jobs().list().data()).as("nothing queued by the bad requests")
                    .extracting(FineTuningJob::id).containsExactly(second.id(), created.id());
            assertThat(other.fineTuning().jobs().list().data()).isEmpty();
        } catch (AssertionError | RuntimeException e) {
            for (Service service : Service.values()) {
                System.out.println("---- last lines of " + service.id() + ".log" + LogTail.lastLines(stateDir.log(service.id()), 40));
            }
            throw e;
        } finally {
            follower.shutdownNow();
            stack.stop();
        }
    }

    /** A supervised job on the tiny model: LoRA r 4 on q/v, batches of 4, a checkpoint every 5 steps. */
    private static JobCreateParams.Builder job(String trainingFile, long epochs) {
        return JobCreateParams.builder().model("tiny").trainingFile(trainingFile).seed(7L)
                .method(JobCreateParams.Method.builder().type(JobCreateParams.Method.Type.SUPERVISED)
                        .supervised(SupervisedMethod.builder().hyperparameters(SupervisedHyperparameters.builder()
                                .nEpochs(epochs).batchSize(4L).learningRateMultiplier(5.0).build()).build()).build())
                .putAdditionalBodyProperty("lora", JsonValue.from(Map.of("r", 4, "target_modules", List.of("q_proj", "v_proj"),
                        "save_every", 5, "learning_rate", 1e-3)));
    }

    private static FineTuningJob await(OpenAIClient client, String id, Predicate<FineTuningJob> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        FineTuningJob job = client.fineTuning().jobs().retrieve(id);
        while (!until.test(job)) {
            assertThat(System.nanoTime()).as("job %s within %s; last: %s", id, TIMEOUT, job).isLessThan(deadline);
            Thread.sleep(250);
            job = client.fineTuning().jobs().retrieve(id);
        }
        return job;
    }

    /**
     * The id of a file the dataset service refused in strict mode. The SDK keeps only the {@code error} object of a
     * refused upload, so this one upload is sent as {@code curl -F} sends it, to read the refused file's id from the
     * whole answer; the job that names it is created through the SDK.
     */
    private String rejectedFileId(String gateway, String key) throws IOException, InterruptedException {
        String boundary = "tunewright-e2e-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bad.jsonl\"\r\nContent-Type: application/jsonl"
                + "\r\n\r\n{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\n\r\n--" + boundary + "--\r\n";
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "/v1/files"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        return JSON.readTree(refused.body()).path("file").path("id").asText();
    }

    private static void assertRefused(Runnable call, int status, String param) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
            assertThat(e.statusCode()).as("%s", e.body()).isEqualTo(status);
            assertThat(e.param()).as("%s", e.body()).contains(param);
            if (status == 404) {
                assertThat(e).isInstanceOf(NotFoundException.class);
            }
        });
    }

    private static String teamKey(String name, StateDir stateDir) throws IOException {
        StringWriter out = new StringWriter();
        assertThat(ftctl(out, "teams", "create", name, "--json", "--state-dir", stateDir.toString())).isZero();
        return JSON.readTree(out.toString()).path("api_key").path("key").asText();
    }

    private static int ftctl(StringWriter out, String... args) {
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        return commandLine.execute(args);
    }
}
