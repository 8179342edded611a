package dev.tunewright.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStackTest {

    @TempDir
    Path temp;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void refusesAPortInUseNamingPortAndComponentBeforeStartingAnything() throws Exception {
        Path repo = fakeRepo(true);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), repo).withPostgresPort(taken.getLocalPort());

            assertThatThrownBy(() -> stack(config).start())
                    .isInstanceOf(StackException.class)
                    .hasMessage("port " + taken.getLocalPort() + " for PostgreSQL is already in use");

            assertNothingLeft(config);
            assertThat(temp.resolve("state/postgres")).doesNotExist();
        }
    }

    @Test
    void refusesTheSamePortForTwoComponents() {
        StackConfig base = StackConfig.onFreePorts(temp.resolve("state"), fakeRepo(true));
        StackConfig config = base.withServicePort(Service.EVAL, base.port(Service.GATEWAY));

        assertThatThrownBy(() -> stack(config).start())
                .hasMessage("port " + base.port(Service.GATEWAY) + " is configured for both gateway and eval-service");
    }

    @Test
    void refusesAStateDirThatCannotBeWritten() throws Exception {
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");
        StackConfig config = StackConfig.onFreePorts(file.resolve("state"), fakeRepo(true));

        assertThatThrownBy(() -> stack(config).start())
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("the state dir " + file.resolve("state") + " is not writable")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAPostgresFolderOfAnotherVersionBeforeStartingAnything() throws Exception {
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), fakeRepo(true));
        Path data = Files.createDirectories(config.stateDir().resolve("postgres"));
        Files.writeString(data.resolve("PG_VERSION"), "14\n");

        assertThatThrownBy(() -> stack(config).start())
                .hasMessageContaining(data.toString())
                .hasMessageContaining("PostgreSQL 14")
                .hasMessageContaining("PostgreSQL " + PostgresBinaries.majorVersion());

        assertNothingLeft(config);
    }

    @Test
    void refusesToStartWithoutBuiltServices() {
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), fakeRepo(false));

        assertThatThrownBy(() -> stack(config).start())
                .hasMessageStartingWith("the services are not built (missing gateway/target/quarkus-app/quarkus-run.jar")
                .hasMessageContaining("mvn -B -DskipTests install");
        assertNothingLeft(config);
    }

    @Test
    void refusesASecondStackOnTheSameStateDirAndNeverLeavesAStaleLock() throws Exception {
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), fakeRepo(false));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), config.stateDir().toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("locked");
            assertThat(StackLock.isHeld(new StateDir(config.stateDir()))).isTrue();

            assertThatThrownBy(() -> stack(config).start())
                    .hasMessage("a stack is already running (pid " + holder.pid() + ", state dir " + config.stateDir() + ")");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        assertThat(StackLock.isHeld(new StateDir(config.stateDir()))).isFalse();
        // The lock is free again: the start now gets past it and stops at the next check.
        assertThatThrownBy(() -> stack(config).start()).hasMessageStartingWith("the services are not built");
    }

    @Test
    void aServiceThatDiesWhileStartingStopsTheWholeStackAndQuotesItsLog() {
        StackConfig config = StackConfig.onFreePorts(temp.resolve("state"), fakeRepo(true))
                .withHealthTimeout(Duration.ofSeconds(60));
        LocalStack stack = stack(config);

        assertThatThrownBy(stack::start)
                .isInstanceOf(StackException.class)
                .hasMessageContaining("exited with code 1 before becoming healthy")
                .hasMessageContaining("Invalid or corrupt jarfile");

        assertNothingLeft(config);
        assertThat(stack.servicePids()).isNotEmpty().allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse());
        assertThat(Ports.isAvailable(config.kafkaPort())).isTrue();
        assertThat(Ports.isAvailable(config.postgresPort())).isTrue();
        assertThat(config.stateDir().resolve("secrets/identity-secret")).exists();
    }

    private LocalStack stack(StackConfig config) {
        return new LocalStack(config, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private static void assertNothingLeft(StackConfig config) {
        StateDir stateDir = new StateDir(config.stateDir());
        assertThat(stateDir.stackFile()).doesNotExist();
        assertThat(StackLock.isHeld(stateDir)).isFalse();
        for (Service service : Service.values()) {
            assertThat(Ports.isAvailable(config.port(service))).isTrue();
        }
    }

    /** Service jars that exist but do not run: enough for every check made before a service has to work. */
    private Path fakeRepo(boolean withJars) {
        Path repo = temp.resolve(withJars ? "repo-with-jars" : "repo-without-jars");
        try {
            for (Service service : Service.values()) {
                Path jar = repo.resolve(service.id()).resolve("target/quarkus-app/quarkus-run.jar");
                Files.createDirectories(jar.getParent());
                if (withJars && !Files.exists(jar)) {
                    Files.writeString(jar, "not a jar");
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return repo;
    }
}
