package dev.tunewright.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.stack.Health;
import dev.tunewright.stack.LocalStack;
import dev.tunewright.stack.LogTail;
import dev.tunewright.stack.Ports;
import dev.tunewright.stack.Service;
import dev.tunewright.stack.StackConfig;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.Waits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform as a user gets it: started by the launcher `ftctl stack up` uses, every service a JVM of its own
 * from its built jar, a real broker and database in between, and nothing left running afterwards.
 */
class StackEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void servesThroughTheGatewayCarriesEventsBetweenServicesAndStopsWithoutLeftovers() throws Exception {
        Path repo = Path.of(System.getProperty("tunewright.repo.dir"));
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), repo).withHealthTimeout(Duration.ofSeconds(240));
        StateDir stateDir = new StateDir(config.stateDir());
        LocalStack stack = new LocalStack(config, System.out);
        List<Long> pids = new ArrayList<>();
        try {
            StackState state = stack.start();
            pids.addAll(stack.servicePids());
            if (state.postgresPid() != null) {
                pids.add(state.postgresPid());
            }
            for (Service service : Service.values()) {
                assertThat(Health.check("http://127.0.0.1:" + config.port(service))).as(service.id()).isEqualTo(Health.UP);
            }
            assertThat(ftctl("stack", "status", "--json", "--state-dir", stateDir.toString()).path("running").asBoolean()).isTrue();

            String gateway = state.gatewayUrl().orElseThrow();
            String defaultKey = stateDir.readSecret(StateDir.DEFAULT_API_KEY).orElseThrow();
            assertStatus(get(gateway + "/v1/datasets", null), 401);
            assertStatus(get(gateway + "/v1/datasets", defaultKey), 200);
            // A service reached around the gateway trusts no one: there is no signed identity header.
            String datasets = "http://127.0.0.1:" + config.port(Service.DATASET);
            assertStatus(get(datasets + "/v1/datasets", null), 401);
            assertStatus(get(datasets + "/v1/datasets", defaultKey), 401);

            // The gateway publishes TeamCreated; the registry learns of the team only through the broker.
            JsonNode team = ftctl("teams", "create", "e2e", "--json", "--state-dir", stateDir.toString());
            String teamKey = team.path("api_key").path("key").asText();
            assertThat(teamKey).startsWith("twk_");
            AtomicReference<HttpResponse<String>> namespace = new AtomicReference<>();
            boolean seen = Waits.until(() -> {
                namespace.set(get(gateway + "/v1/registry/namespace", teamKey));
                return namespace.get().statusCode() == 200;
            }, EVENT_TIMEOUT, Duration.ofMillis(250));
            assertThat(seen).as("registry namespace of team e2e, last answer: %s %s",
                    namespace.get().statusCode(), namespace.get().body()).isTrue();
            assertThat(JSON.readTree(namespace.get().body()).path("team_name").asText()).isEqualTo("e2e");
        } catch (AssertionError | RuntimeException e) {
            printLogTails(stateDir);
            throw e;
        } finally {
            pids.addAll(stack.servicePids());
            stack.stop();
        }

        assertThat(pids).isNotEmpty().allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %s alive", pid).isFalse());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertThat(StackLock.isHeld(stateDir)).isFalse();
        assertThat(stateDir.stackFile()).doesNotExist();
        for (Service service : Service.values()) {
            assertThat(Ports.isAvailable(config.port(service))).as("port of " + service.id()).isTrue();
        }
        assertThat(Ports.isAvailable(config.kafkaPort())).isTrue();
        assertThat(Ports.isAvailable(config.postgresPort())).isTrue();
    }

    /** The state dir is deleted with the test; a failure must bring the services' own account of it along. */
    private static void printLogTails(StateDir stateDir) {
        for (Service service : Service.values()) {
            Path log = stateDir.log(service.id());
            System.out.println("---- errors in " + service.id() + ".log");
            try (Stream<String> lines = Files.lines(log)) {
                lines.filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by:")).limit(30).forEach(System.out::println);
            } catch (IOException | UncheckedIOException e) {
                System.out.println("(cannot read " + log + ": " + e.getMessage() + ")");
            }
            System.out.println("---- last lines of " + service.id() + ".log" + LogTail.lastLines(log, 15));
        }
    }

    private static void assertStatus(HttpResponse<String> response, int expected) {
        assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(), response.uri(), response.body())
                .isEqualTo(expected);
    }

    private HttpResponse<String> get(String url, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + url + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs the command line in this JVM and parses its JSON output. */
    private static JsonNode ftctl(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        assertThat(exit).as("ftctl %s: %s", String.join(" ", args), err).isZero();
        return JSON.readTree(out.toString());
    }
}
