package dev.tunewright.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.cli.quickstart.DemoModel;
import dev.tunewright.cli.quickstart.QuickstartFlow;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The quickstart's flow exactly as {@code ./ftctl quickstart} runs it, through the gateway of the embedded stack, for
 * two teams at once on the tiny demo model; then each team asks for every object the other one made (file and its
 * content, dataset and split, job, events, event stream, checkpoints and a checkpoint's content, result file, the
 * evaluation, its examples and report page, the fine-tuned model, a chat completion with it, cancel/pause/resume of
 * the job, the adapter, its version, download, recipe, alias, merge and alias move) and gets 404, and sees none of
 * them listed.
 */
class QuickstartEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(12);

    @TempDir
    Path temp;

    @Test
    void twoTeamsRunTheQuickstartAtOnceAndNeitherSeesTheOthersWork() throws Exception {
        Path repo = Path.of(System.getProperty("tunewright.repo.dir"));
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), repo).withHealthTimeout(Duration.ofSeconds(240));
        StateDir stateDir = new StateDir(config.stateDir());
        stateDir.prepare();
        String model = DemoModel.install(stateDir.models()).folder().getFileName().toString();
        LocalStack stack = new LocalStack(config, System.out);
        ExecutorService teams = Executors.newFixedThreadPool(2);
        try {
            StackState state = stack.start();
            String gateway = state.gatewayUrl().orElseThrow();
            List<String> names = List.of("acme", "globex");
            // acme's adapter has the quickstart's own name, globex's another, so that each can ask for the other's
            List<String> adapters = List.of(QuickstartFlow.ADAPTER, QuickstartFlow.ADAPTER + "-globex");
            List<TeamApi> apis = new ArrayList<>();
            List<StringWriter> outputs = new ArrayList<>();
            List<Future<QuickstartFlow.Result>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                String name = names.get(t);
                String adapter = adapters.get(t);
                TeamApi api = new TeamApi(gateway, teamKey(name, stateDir));
                StringWriter output = new StringWriter();
                apis.add(api);
                outputs.add(output);
                Path work = Files.createDirectories(temp.resolve(name));
                runs.add(teams.submit(() -> new QuickstartFlow(api, new PrintWriter(output, true), new PrintWriter(output, true),
                        TIMEOUT, adapter).run(new QuickstartFlow.Model(model, true), work)));
            }
            List<QuickstartFlow.Result> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                QuickstartFlow.Result result = runs.get(t).get(TIMEOUT.toMinutes(), TimeUnit.MINUTES);
                String printed = outputs.get(t).toString();
                System.out.println("---- quickstart of " + names.get(t) + "\n" + printed);
                assertThat(printed).contains("[1/7] demo data", "TINY RANDOMLY INITIALISED demo model",
                        "(stratified by label)", "The job has successfully completed", "fine-tuned vs base:", "METRIC",
                        "[7/7] adapter " + adapters.get(t) + " version 1 registered", "report: ");
                assertThat(result.verdict()).isIn("improved", "no_significant_improvement", "regressed");
                assertThat(Files.readString(result.report())).contains("<html", result.evaluationId());
                results.add(result);
            }

            int refused = 0;
            for (int t = 0; t < 2; t++) {
                QuickstartFlow.Result theirs = results.get(t);
                TeamApi other = apis.get(1 - t);
                refused += assertNotFound(other, theirs, apis.get(t));
                assertNotListed(other, theirs);
            }
            System.out.println("isolation: " + refused + " requests for the other team's objects, all answered 404");
            int identities = assertServicesRefuseBadIdentities(state, stateDir);
            System.out.println("identity: " + identities + " direct calls to the services with a missing, forged, expired"
                    + " or replayed identity header, all answered 401");
        } catch (AssertionError | RuntimeException e) {
            for (Service service : Service.values()) {
                System.out.println("---- last lines of " + service.id() + ".log" + LogTail.lastLines(stateDir.log(service.id()), 40));
            }
            throw e;
        } finally {
            teams.shutdownNow();
            stack.stop();
        }
    }

    /** Every object of {@code theirs}, asked for with {@code other}'s key: each a 404. */
    private static int assertNotFound(TeamApi other, QuickstartFlow.Result theirs, TeamApi owner) throws Exception {
        String job = "/v1/fine_tuning/jobs/" + theirs.jobId();
        String evaluation = "/v1/evaluations/" + theirs.evaluationId();
        String checkpoint = owner.get(job + "/checkpoints", Map.of()).path("data").path(0).path("id").asText();
        String resultFile = owner.get(job, Map.of()).path("result_files").path(0).asText();
        assertThat(checkpoint).as("the owner sees its checkpoint").isNotEmpty();
        assertThat(resultFile).as("the owner sees its result file").isNotEmpty();
        List<String> paths = List.of("/v1/files/" + theirs.fileId(), "/v1/files/" + theirs.fileId() + "/content",
                "/v1/datasets/" + theirs.datasetId(), "/v1/datasets/" + theirs.datasetId() + "/splits/train",
                job, job + "/events", job + "/events?stream=true", job + "/checkpoints",
                job + "/checkpoints/" + checkpoint + "/content", job + "/result_files/" + resultFile + "/content",
                evaluation, evaluation + "/examples", evaluation + "/report.html");
        for (String path : paths) {
            assertThat(status(other, "GET", path, null)).as("GET %s with the other team's key", path).isEqualTo(404);
        }
        String chat = "{\"model\":\"" + theirs.fineTunedModel() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(status(other, "POST", "/v1/chat/completions", chat)).as("chat with %s", theirs.fineTunedModel()).isEqualTo(404);
        for (String move : List.of("cancel", "pause", "resume")) {
            assertThat(status(other, "POST", job + "/" + move, "")).as("%s their job", move).isEqualTo(404);
        }
        String adapter = "/v1/adapters/" + theirs.adapter();
        String version = adapter + "/versions/" + theirs.adapterVersion();
        List<String> registry = List.of(adapter, version, version + "/download", version + "/recipe",
                adapter + "/aliases/candidate", "/v1/models/" + theirs.fineTunedModel());
        for (String path : registry) {
            assertThat(status(other, "GET", path, null)).as("GET %s with the other team's key", path).isEqualTo(404);
        }
        assertThat(status(other, "POST", version + "/merge", "{}")).as("merge their version").isEqualTo(404);
        assertThat(status(other, "PUT", adapter + "/aliases/production", "{\"version\":1,\"force\":true,\"reason\":\"x\"}"))
                .as("move their alias").isEqualTo(404);
        return paths.size() + 4 + registry.size() + 2;
    }

    /**
     * Each service called directly, past the gateway: without an identity header, with one signed by another secret,
     * one issued ten minutes ago, and one replayed from another path are all 401; the same call properly signed is
     * answered, so the refusals are the header's doing.
     */
    private static int assertServicesRefuseBadIdentities(StackState state, StateDir stateDir) throws Exception {
        String secret = stateDir.readSecret(StateDir.IDENTITY_SECRET).orElseThrow();
        IdentitySigner signer = new IdentitySigner(secret, Duration.ofSeconds(30));
        IdentitySigner forger = new IdentitySigner(secret + "-guessed", Duration.ofSeconds(30));
        TeamIdentity team = new TeamIdentity("acme", "acme");
        Map<String, String> routes = Map.of(Service.DATASET.id(), "/v1/files", Service.TRAINER.id(), "/v1/fine_tuning/jobs",
                Service.EVAL.id(), "/v1/evaluations", Service.REGISTRY.id(), "/v1/adapters");
        int refused = 0;
        for (StackState.ServiceEntry service : state.services()) {
            String path = routes.get(service.name());
            if (path == null) {
                continue;
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            headers.put("missing", null);
            headers.put("forged", forger.sign(team, "GET", path));
            headers.put("expired", signer.sign(team, "GET", path, java.time.Instant.now().minus(Duration.ofMinutes(10))));
            headers.put("replayed", signer.sign(team, "GET", path + "/elsewhere"));
            for (Map.Entry<String, String> header : headers.entrySet()) {
                assertThat(direct(service.url() + path, header.getValue())).as("%s %s identity", service.name(), header.getKey())
                        .isEqualTo(401);
                refused++;
            }
            assertThat(direct(service.url() + path, signer.sign(team, "GET", path))).as("%s signed", service.name())
                    .isEqualTo(200);
        }
        assertThat(refused).isEqualTo(routes.size() * 4);
        return refused;
    }

    private static int direct(String url, String identity) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (identity != null) {
            request.header(IdentitySigner.HEADER, identity);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void assertNotListed(TeamApi other, QuickstartFlow.Result theirs) {
        assertThat(other.get("/v1/files", Map.of()).toString()).doesNotContain(theirs.fileId());
        assertThat(other.get("/v1/datasets", Map.of()).toString()).doesNotContain(theirs.datasetId());
        assertThat(other.get("/v1/fine_tuning/jobs", Map.of()).toString()).doesNotContain(theirs.jobId());
        assertThat(other.get("/v1/evaluations", Map.of("limit", 100)).toString()).doesNotContain(theirs.evaluationId());
        assertThat(other.get("/v1/models", Map.of()).toString()).doesNotContain(theirs.fineTunedModel());
    }

    private static int status(TeamApi api, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.gatewayUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + api.apiKey());
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String teamKey(String name, StateDir stateDir) throws IOException {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(out, true));
        assertThat(commandLine.execute("teams", "create", name, "--json", "--state-dir", stateDir.toString())).as("%s", out).isZero();
        return JSON.readTree(out.toString()).path("api_key").path("key").asText();
    }
}
