package dev.tunewright.cli;

import dev.tunewright.stack.Ports;
import dev.tunewright.stack.Service;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FtctlTest {

    @TempDir
    Path temp;

    private StringWriter out;
    private StringWriter err;
    private Path stateDir;

    @BeforeEach
    void setUp() {
        out = new StringWriter();
        err = new StringWriter();
        stateDir = temp.resolve("state");
    }

    @AfterEach
    void clearHome() {
        System.clearProperty(Home.PROPERTY);
    }

    @Test
    void helpListsEveryCommandIncludingNestedOnes() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("stack", "up", "down", "status", "logs", "teams", "create", "list", "keys",
                "revoke", "quickstart");
    }

    @Test
    void aSubcommandIsRequired() {
        assertThat(run("stack")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Missing required subcommand").contains("Usage: ftctl stack");
    }

    @Test
    void aPortMustBeANumber() {
        assertThat(run("stack", "up", "--gateway-port", "eighty")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Invalid value for option '--gateway-port': 'eighty' is not an int");
    }

    @Test
    void detachForwardsOnlyTheOptionsGiven() {
        StackUpCommand up = new StackUpCommand();
        new CommandLine(up).parseArgs("--detach", "--gateway-port", "9000", "--postgres-port", "5433", "--state-dir", "x");

        assertThat(up.detach).isTrue();
        assertThat(up.forwardedArguments())
                .containsExactly("--gateway-port", "9000", "--postgres-port", "5433", "--health-timeout", "120");
    }

    @Test
    void upRefusesAPortInUseAndSaysWhichComponentWantedIt() throws Exception {
        System.setProperty(Home.PROPERTY, temp.toString());
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            List<String> args = new ArrayList<>(List.of("stack", "up", "--state-dir", stateDir.toString(),
                    "--gateway-port", String.valueOf(taken.getLocalPort())));
            for (String option : List.of("--dataset-port", "--trainer-port", "--eval-port", "--registry-port",
                    "--kafka-port", "--kafka-controller-port", "--postgres-port")) {
                args.add(option);
                args.add(String.valueOf(Ports.free()));
            }

            assertThat(run(args.toArray(String[]::new))).isEqualTo(CommandLine.ExitCode.SOFTWARE);

            assertThat(err.toString()).isEqualTo("error: port " + taken.getLocalPort() + " for gateway is already in use\n");
        }
        assertThat(stateDir.resolve("stack.json")).doesNotExist();
    }

    @Test
    void statusWithoutAStackExitsWithThree() {
        assertThat(run("stack", "status", "--state-dir", stateDir.toString())).isEqualTo(Ftctl.EXIT_NOT_RUNNING);
        assertThat(out.toString()).isEqualTo("no stack is running (state dir " + stateDir + ")\n");

        out.getBuffer().setLength(0);
        assertThat(run("stack", "status", "--json", "--state-dir", stateDir.toString())).isEqualTo(Ftctl.EXIT_NOT_RUNNING);
        assertThat(out.toString()).contains("\"running\" : false");
    }

    /** The launcher restarts services that die; status shows how often and how the last run ended. */
    @Test
    void statusShowsRestartsAndTheLastExitOfEachService() throws Exception {
        new StateDir(stateDir).prepare();
        try (StackLock lock = StackLock.acquire(new StateDir(stateDir))) {
            new StackState(StackState.RUNNING, ProcessHandle.current().pid(), stateDir.toString(), "now", "127.0.0.1:9092",
                    "jdbc:postgresql://x", null, List.of(
                            new StackState.ServiceEntry("gateway", "http://127.0.0.1:1", 1, null, "gateway.log"),
                            new StackState.ServiceEntry("dataset-service", "http://127.0.0.1:2", 2, 42L, "dataset-service.log", 2,
                                    "exit code 137 at 2026-01-01T00:00:00Z"))).write(stateDir.resolve("stack.json"));

            assertThat(run("stack", "status", "--state-dir", stateDir.toString())).isZero();
            assertThat(out.toString()).contains("RESTARTS").containsPattern(
                    "dataset-service +http://127.0.0.1:2 +unreachable +2 \\(last: exit code 137 at 2026-01-01T00:00:00Z\\)")
                    .containsPattern("gateway +http://127.0.0.1:1 +unreachable +0 ");

            out.getBuffer().setLength(0);
            assertThat(run("stack", "status", "--json", "--state-dir", stateDir.toString())).isZero();
            assertThat(out.toString()).contains("\"restarts\" : 2", "\"last_exit\" : \"exit code 137 at 2026-01-01T00:00:00Z\"");
        }
    }

    @Test
    void upTakesTheInterfaceOfTheGatewayAndForwardsIt() {
        System.setProperty(Home.PROPERTY, temp.toString());
        StackUpCommand up = new StackUpCommand();
        new CommandLine(up).parseArgs("--detach", "--gateway-host", "127.0.0.1", "--state-dir", "x");

        assertThat(up.config(new StateDir(stateDir)).host(Service.GATEWAY)).isEqualTo("127.0.0.1");
        assertThat(up.config(new StateDir(stateDir)).host(Service.DATASET)).isEqualTo("127.0.0.1");
        assertThat(up.forwardedArguments()).containsExactly("--health-timeout", "120", "--gateway-host", "127.0.0.1");
        StackUpCommand defaults = new StackUpCommand();
        new CommandLine(defaults).parseArgs("--state-dir", "x");
        assertThat(defaults.config(new StateDir(stateDir)).host(Service.GATEWAY)).isEqualTo("0.0.0.0");
        assertThat(defaults.config(new StateDir(stateDir)).host(Service.REGISTRY)).isEqualTo("127.0.0.1");
    }

    @Test
    void downWithoutAStackIsNotAnError() {
        assertThat(run("stack", "down", "--state-dir", stateDir.toString())).isZero();

        assertThat(out.toString()).isEqualTo("no stack is running (state dir " + stateDir + ")\n");
    }

    @Test
    void logsPrintsTheLastLinesOfAComponentsLog() throws Exception {
        Files.createDirectories(stateDir.resolve("logs"));
        Files.writeString(stateDir.resolve("logs/gateway.log"), "one\ntwo\nthree\n");

        assertThat(run("stack", "logs", "gateway", "--lines", "2", "--state-dir", stateDir.toString())).isZero();

        assertThat(out.toString()).isEqualTo("two\nthree\n");
    }

    @Test
    void logsNamesTheValidComponentsForAnUnknownOne() {
        assertThat(run("stack", "logs", "nope", "--state-dir", stateDir.toString())).isEqualTo(CommandLine.ExitCode.SOFTWARE);

        assertThat(err.toString()).isEqualTo("error: unknown service nope; one of: gateway, dataset-service, "
                + "trainer-service, eval-service, registry-service, kafka, postgres, stack\n");
    }

    @Test
    void logsNeedsAService() {
        assertThat(run("stack", "logs")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Missing required parameter: 'SERVICE'");
    }

    @Test
    void teamsCreateSendsTheNameWithTheAdminTokenAndPrintsTheKeyOnce() throws Exception {
        adminToken("twa_secret");
        try (FakeGateway gateway = new FakeGateway()) {
            gateway.respond(201, """
                    {"id":"7b1c","name":"research","created_at":"2026-01-01T00:00:00Z",
                     "api_key":{"id":"k1","prefix":"twk_abcdefgh","key":"twk_abcdefgh_full","created_at":"2026-01-01T00:00:00Z"}}""");

            assertThat(run("teams", "create", "research", "--gateway-url", gateway.url(), "--state-dir", stateDir.toString())).isZero();

            FakeGateway.Request request = gateway.lastRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/admin/teams");
            assertThat(request.authorization()).isEqualTo("Bearer twa_secret");
            assertThat(request.body()).isEqualTo("{\"name\":\"research\"}");
            assertThat(out.toString()).contains("created team research (id 7b1c)", "twk_abcdefgh_full");
        }
    }

    @Test
    void teamsListFindsTheGatewayThroughStackJson() throws Exception {
        adminToken("twa_secret");
        try (FakeGateway gateway = new FakeGateway()) {
            new StackState(StackState.RUNNING, 1, stateDir.toString(), "now", "127.0.0.1:9092", "jdbc:postgresql://x", null,
                    List.of(new StackState.ServiceEntry("gateway", gateway.url(), 1, null, "gateway.log"))).write(stateDir.resolve("stack.json"));
            gateway.respond(200, """
                    {"data":[{"id":"7b1c","name":"default","created_at":"2026-01-01T00:00:00Z"}]}""");

            assertThat(run("teams", "list", "--state-dir", stateDir.toString())).isZero();

            assertThat(gateway.lastRequest().method()).isEqualTo("GET");
            assertThat(gateway.lastRequest().path()).isEqualTo("/admin/teams");
            assertThat(out.toString().lines()).containsExactly(
                    "ID    NAME     CREATED",
                    "7b1c  default  2026-01-01T00:00:00Z");
        }
    }

    @Test
    void keysAreCreatedForATeamAndRevokedById() throws Exception {
        adminToken("twa_secret");
        try (FakeGateway gateway = new FakeGateway()) {
            gateway.respond(201, """
                    {"id":"k2","prefix":"twk_12345678","key":"twk_12345678_full","created_at":"2026-01-01T00:00:00Z","team":"research"}""");
            assertThat(run("teams", "keys", "create", "research", "--gateway-url", gateway.url(), "--state-dir", stateDir.toString())).isZero();
            assertThat(gateway.lastRequest().path()).isEqualTo("/admin/teams/research/keys");
            assertThat(out.toString()).contains("twk_12345678_full");

            gateway.respond(200, "{\"id\":\"k2\",\"revoked_at\":\"2026-01-02T00:00:00Z\"}");
            assertThat(run("teams", "keys", "revoke", "k2", "--gateway-url", gateway.url(), "--state-dir", stateDir.toString())).isZero();
            assertThat(gateway.lastRequest().method()).isEqualTo("DELETE");
            assertThat(gateway.lastRequest().path()).isEqualTo("/admin/keys/k2");
            assertThat(out.toString()).contains("revoked API key k2 at 2026-01-02T00:00:00Z");
        }
    }

    @Test
    void keysAreRotatedWithAGracePeriodAndTheRetiringKeysAreShown() throws Exception {
        adminToken("twa_secret");
        try (FakeGateway gateway = new FakeGateway()) {
            gateway.respond(201, """
                    {"team":"research","api_key":{"id":"k3","prefix":"twk_abcdefgh","key":"twk_abcdefgh_full",
                     "created_at":"2026-01-01T00:00:00Z"},
                     "retiring":[{"id":"k1","prefix":"twk_11111111","created_at":"2025-12-01T00:00:00Z",
                     "revoked_at":null,"expires_at":"2026-01-01T02:00:00Z"}]}""");
            assertThat(run("teams", "keys", "rotate", "research", "--grace", "2h", "--key", "k1",
                    "--gateway-url", gateway.url(), "--state-dir", stateDir.toString())).isZero();
            assertThat(gateway.lastRequest().method()).isEqualTo("POST");
            assertThat(gateway.lastRequest().path()).isEqualTo("/admin/teams/research/keys/rotate");
            assertThat(gateway.lastRequest().body()).isEqualTo("{\"grace_seconds\":7200,\"key_id\":\"k1\"}");
            assertThat(out.toString()).contains("twk_abcdefgh_full")
                    .contains("API key k1 (prefix twk_11111111) works until 2026-01-01T02:00:00Z");

            assertThat(run("teams", "keys", "rotate", "research", "--gateway-url", gateway.url(),
                    "--state-dir", stateDir.toString())).isZero();
            assertThat(gateway.lastRequest().body()).as("the gateway's default grace").isEqualTo("{}");
        }
        assertThat(TeamKeysCommand.Rotate.graceSeconds("0")).hasValue(0);
        assertThat(TeamKeysCommand.Rotate.graceSeconds("90s")).hasValue(90);
        assertThat(TeamKeysCommand.Rotate.graceSeconds("7d")).hasValue(7 * 86400);
        for (String bad : new String[] {"24", "1.5h", "-1h", "soon"}) {
            assertThat(TeamKeysCommand.Rotate.graceSeconds(bad)).as(bad).isEmpty();
        }
        assertThat(run("teams", "keys", "rotate", "research", "--grace", "soon", "--gateway-url", "http://127.0.0.1:9",
                "--state-dir", stateDir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--grace must be 0 or a whole number");
    }

    @Test
    void gatewayErrorsAreOneLineOnStderr() throws Exception {
        adminToken("twa_secret");
        try (FakeGateway gateway = new FakeGateway()) {
            gateway.respond(409, """
                    {"error":{"message":"team research already exists","type":"conflict","code":"team_exists"}}""");

            assertThat(run("teams", "create", "research", "--gateway-url", gateway.url(), "--state-dir", stateDir.toString()))
                    .isEqualTo(CommandLine.ExitCode.SOFTWARE);

            assertThat(err.toString())
                    .isEqualTo("error: team research already exists (HTTP 409, team_exists from POST /admin/teams)\n");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void teamsWithoutAStackOrAGatewayUrlSaysHowToGetOne() {
        adminToken("twa_secret");

        assertThat(run("teams", "list", "--state-dir", stateDir.toString())).isEqualTo(CommandLine.ExitCode.SOFTWARE);

        assertThat(err.toString()).startsWith("error: no running stack in " + stateDir);
    }

    private void adminToken(String token) {
        StateDir dir = new StateDir(stateDir);
        dir.prepare();
        dir.writeSecret(StateDir.ADMIN_TOKEN, token);
    }

    private int run(String... args) {
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
