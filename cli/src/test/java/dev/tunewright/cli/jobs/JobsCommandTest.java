package dev.tunewright.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.stack.StateDir;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ftctl jobs} against a gateway that answers like the jobs API: requests sent, output printed, exit codes. */
class JobsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = "{\"id\":\"ftjob-1\",\"status\":\"running\",\"progress\":{\"step\":0,\"total_steps\":4}}";
    private static final String SUCCEEDED = "{\"id\":\"ftjob-1\",\"status\":\"succeeded\",\"fine_tuned_model\":\"ft:tiny:acme::ftjob-1\","
            + "\"progress\":{\"step\":4,\"total_steps\":4}}";

    record Request(String method, String uri, String authorization, String lastEventId, String body) {
    }

    @TempDir
    Path temp;

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int streamsServed;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopGateway() {
        server.stop(0);
    }

    @Test
    void createSendsTheOptionsAsAnOpenAiJobRequestWithTheTeamKey() throws Exception {
        int exit = run("jobs", "create", "--model", "tiny", "--training-file", "file-abc", "--epochs", "2", "--lora-r", "8",
                "--target-modules", "q_proj,v_proj", "--qlora", "--metadata", "project=demo", "--api-key", "twk_team");
        assertThat(exit).as(err.toString()).isZero();
        Request create = requests.get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.uri()).isEqualTo("/v1/fine_tuning/jobs");
        assertThat(create.authorization()).isEqualTo("Bearer twk_team");
        JsonNode body = JSON.readTree(create.body());
        assertThat(body.path("model").asText()).isEqualTo("tiny");
        assertThat(body.path("training_file").asText()).isEqualTo("file-abc");
        assertThat(body.at("/method/supervised/hyperparameters/n_epochs").asInt()).isEqualTo(2);
        assertThat(body.at("/method/supervised/hyperparameters").has("batch_size")).as("left out: auto").isFalse();
        assertThat(body.at("/lora/r").asInt()).isEqualTo(8);
        assertThat(body.at("/lora/quantization").asText()).isEqualTo("nf4");
        assertThat(body.at("/lora/target_modules/1").asText()).isEqualTo("v_proj");
        assertThat(body.at("/metadata/project").asText()).isEqualTo("demo");
        assertThat(out.toString()).startsWith("ftjob-1  running  step 0/4");
    }

    @Test
    void theDefaultKeyIsTheLocalStacksAndErrorsNameTheField() {
        StateDir state = new StateDir(temp.resolve("state"));
        state.prepare();
        state.writeSecret(StateDir.DEFAULT_API_KEY, "twk_default");
        int exit = run("jobs", "create", "--model", "nope", "--training-file", "file-abc", "--state-dir", state.toString());
        assertThat(exit).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(requests.get(0).authorization()).isEqualTo("Bearer twk_default");
        assertThat(err.toString()).contains("error: model nope is not an installed model");
    }

    @Test
    void followShowsMessagesAndAProgressBarResumesABrokenStreamAndExitsWithTheOutcome() {
        int exit = run("jobs", "follow", "ftjob-1", "--api-key", "twk_team");
        assertThat(exit).as(err.toString()).isZero();
        List<Request> streams = requests.stream().filter(r -> r.uri().contains("/events")).toList();
        assertThat(streams).hasSize(2);
        assertThat(streams.get(0).uri()).isEqualTo("/v1/fine_tuning/jobs/ftjob-1/events?stream=true");
        assertThat(streams.get(1).lastEventId()).as("resumed after the last event it showed").isEqualTo("ftevent-3");
        assertThat(out.toString()).contains("info  Fine-tuning job started", "info  The job has successfully completed",
                "ftjob-1  succeeded  step 4/4  ft:tiny:acme::ftjob-1");
        assertThat(err.toString()).contains("step 2/4 [============            ] loss 1.5000  800 tok/s")
                .contains("step 4/4 [========================] loss 0.5000").contains("reconnecting");
    }

    @Test
    void listPrintsATableAndTheNextPage() {
        int exit = run("jobs", "list", "--limit", "1", "--metadata", "project=demo", "--api-key", "twk_team");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(requests.get(0).uri()).isEqualTo("/v1/fine_tuning/jobs?limit=1&metadata%5Bproject%5D=demo");
        assertThat(out.toString()).contains("ID", "STATUS", "ftjob-1", "succeeded", "ft:tiny:acme::ftjob-1")
                .contains("more: ftctl jobs list --after ftjob-1");
    }

    @Test
    void cancelPausesAndResumesPostToTheJob() {
        for (String move : List.of("cancel", "pause", "resume")) {
            assertThat(run("jobs", move, "ftjob-1", "--api-key", "twk_team")).isZero();
        }
        assertThat(requests.stream().map(r -> r.method() + " " + r.uri())).containsExactly(
                "POST /v1/fine_tuning/jobs/ftjob-1/cancel", "POST /v1/fine_tuning/jobs/ftjob-1/pause",
                "POST /v1/fine_tuning/jobs/ftjob-1/resume");
        assertThat(out.toString()).contains("ftjob-1  running").doesNotContain("\"status\"");
    }

    @Test
    void jsonPrintsTheApisAnswerAsEveryApiCommandDoes() throws Exception {
        assertThat(run("jobs", "cancel", "ftjob-1", "--json", "--api-key", "twk_team")).isZero();
        assertThat(run("jobs", "show", "ftjob-1", "--json", "--api-key", "twk_team")).isZero();
        List<JsonNode> printed = new ArrayList<>();
        new ObjectMapper().readerFor(JsonNode.class).readValues(out.toString()).forEachRemaining(n -> printed.add((JsonNode) n));
        assertThat(printed).extracting(n -> n.path("status").asText()).containsExactly("running", "succeeded");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String uri = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), uri, exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Last-Event-ID"), body));
        if (uri.contains("/events")) {
            stream(exchange);
        } else if (body.contains("\"nope\"")) {
            send(exchange, 400, "{\"error\":{\"message\":\"model nope is not an installed model\",\"type\":"
                    + "\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}");
        } else if (uri.startsWith("/v1/fine_tuning/jobs?")) {
            send(exchange, 200, "{\"object\":\"list\",\"data\":[" + SUCCEEDED.replace("}}", "},\"model\":\"tiny\",\"created_at\":0}")
                    + "],\"has_more\":true}");
        } else if (exchange.getRequestMethod().equals("GET")) {
            send(exchange, 200, SUCCEEDED);
        } else {
            send(exchange, 200, RUNNING);
        }
    }

    /** The first stream breaks after three events; the second sends the rest and [DONE]. */
    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            if (streamsServed++ == 0) {
                body.write((event(1, "message", "Fine-tuning job started", "{}") + event(2, "metrics", "Step 1/4",
                        metrics(1, 2.0)) + event(3, "metrics", "Step 2/4", metrics(2, 1.5))).getBytes(StandardCharsets.UTF_8));
                body.flush();
                body.close();
                return;
            }
            body.write((event(4, "metrics", "Step 4/4", metrics(4, 0.5))
                    + event(5, "message", "The job has successfully completed", "{}") + "data: [DONE]\n\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String event(int seq, String type, String message, String data) {
        return "id: ftevent-" + seq + "\ndata: {\"id\":\"ftevent-" + seq + "\",\"object\":\"fine_tuning.job.event\",\"created_at\":"
                + (1_700_000_000 + seq) + ",\"level\":\"info\",\"message\":\"" + message + "\",\"type\":\"" + type
                + "\",\"data\":" + data + "}\n\n";
    }

    private static String metrics(int step, double loss) {
        return "{\"step\":" + step + ",\"total_steps\":4,\"train_loss\":" + loss + ",\"tokens_per_second\":800}";
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private int run(String... args) {
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] withGateway = new String[args.length + 2];
        System.arraycopy(args, 0, withGateway, 0, args.length);
        withGateway[args.length] = "--gateway-url";
        withGateway[args.length + 1] = "http://127.0.0.1:" + server.getAddress().getPort();
        return commandLine.execute(withGateway);
    }
}
