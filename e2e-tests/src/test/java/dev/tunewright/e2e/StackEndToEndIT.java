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
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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

            // The signed identity covers the query: a listing with one goes through the gateway to the service.
            assertStatus(get(gateway + "/v1/files?limit=5", teamKey), 200);
            onlyTheGatewayListensBeyondLoopback(config);
            dotSegmentsAreRefusedBeforeTheBody(config);
            aServiceThatDiesIsRestartedAndTheGatewaysReadinessSaysSoMeanwhile(config, stateDir, gateway);
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

    /** Services listen on 127.0.0.1 only; the gateway on every interface. Checked from this machine's own address. */
    private static void onlyTheGatewayListensBeyondLoopback(StackConfig config) throws IOException {
        InetAddress external = externalAddress();
        if (external == null) {
            System.out.println("SKIPPED the check of listening interfaces: this machine has no non-loopback IPv4 address");
            return;
        }
        assertThat(connects(external, config.port(Service.GATEWAY))).as("gateway on " + external).isTrue();
        for (Service service : Service.values()) {
            if (service != Service.GATEWAY) {
                assertThat(connects(external, config.port(service))).as(service.id() + " on " + external).isFalse();
                assertThat(connects(InetAddress.getLoopbackAddress(), config.port(service))).as(service.id() + " on loopback")
                        .isTrue();
            }
        }
    }

    /**
     * {@code /q/../v1/files} looks like a management path and is served as the upload endpoint; both the gateway and
     * the service refuse it before reading the 30 MB it announces.
     */
    private static void dotSegmentsAreRefusedBeforeTheBody(StackConfig config) throws IOException {
        for (Service service : List.of(Service.GATEWAY, Service.DATASET)) {
            String answer = rawExchange(config.port(service), "POST /q/../v1/files HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 31457280\r\n\r\n");
            assertThat(answer).as(service.id()).startsWith("HTTP/1.1 400").contains("invalid_path");
        }
    }

    private void aServiceThatDiesIsRestartedAndTheGatewaysReadinessSaysSoMeanwhile(StackConfig config, StateDir stateDir,
            String gateway) throws Exception {
        JsonNode ready = JSON.readTree(get(gateway + "/q/health/ready", null).body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        JsonNode status = ftctl("stack", "status", "--json", "--state-dir", stateDir.toString());
        long pid = service(status, Service.DATASET).path("pid").asLong();
        assertThat(service(status, Service.DATASET).path("restarts").asInt()).isZero();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        AtomicReference<String> seen = new AtomicReference<>();
        boolean reported = Waits.until(() -> {
            HttpResponse<String> readiness = get(gateway + "/q/health/ready", null);
            seen.set(readiness.statusCode() + " " + readiness.body());
            return readiness.statusCode() == 503 && readiness.body().contains("\"dataset\"")
                    && !readiness.body().contains("\"dataset\": \"UP\"") && !readiness.body().contains("\"dataset\":\"UP\"");
        }, Duration.ofSeconds(20), Duration.ofMillis(100));
        assertThat(reported).as("gateway readiness naming the dead dataset service, last: %s", seen.get()).isTrue();

        AtomicReference<JsonNode> restarted = new AtomicReference<>();
        boolean back = Waits.until(() -> {
            try {
                restarted.set(service(ftctl("stack", "status", "--json", "--state-dir", stateDir.toString()), Service.DATASET));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return restarted.get().path("restarts").asInt() == 1 && Health.UP.equals(restarted.get().path("health").asText());
        }, Duration.ofSeconds(180), Duration.ofMillis(500));
        assertThat(back).as("dataset-service restarted and healthy, last status: %s", restarted.get()).isTrue();
        assertThat(restarted.get().path("pid").asLong()).isNotEqualTo(pid);
        assertThat(restarted.get().path("last_exit").asText()).startsWith("exit code 137");
        assertThat(Waits.until(() -> get(gateway + "/q/health/ready", null).statusCode() == 200, Duration.ofSeconds(30),
                Duration.ofMillis(250))).as("gateway ready again").isTrue();
    }

    private static JsonNode service(JsonNode status, Service service) {
        for (JsonNode entry : status.path("services")) {
            if (entry.path("name").asText().equals(service.id())) {
                return entry;
            }
        }
        throw new AssertionError("no " + service.id() + " in " + status);
    }

    private static InetAddress externalAddress() throws IOException {
        for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : java.util.Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends the request head as written and returns what comes back within 10 s (empty when nothing did). */
    private static String rawExchange(int port, String head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) > 0 && !answer.toString().contains("}}"); ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                // whatever arrived is the answer
            }
            return answer.toString();
        }
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
