package dev.tunewright.trainer.it;

import dev.tunewright.stack.Ports;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The packaged trainer ({@code target/quarkus-app/quarkus-run.jar}) as a process of its own on the shared test
 * infrastructure, as a Kubernetes pod runs it: with the {@code api} or {@code worker} role, killable with SIGKILL.
 */
final class TrainerProcess implements AutoCloseable {

    /**
     * The processes' own schema and consumer group: the trainer of the {@code @QuarkusIntegrationTest} classes may
     * still run on the same database and broker, and must neither claim these processes' jobs nor take their
     * dataset events.
     */
    static final String SCHEMA = "trainer_processes";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private TrainerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar with the test settings plus {@code settings} (system properties), logging to {@code name}.log. */
    static TrainerProcess start(String name, Map<String, String> settings) throws IOException {
        return start(name, settings, Map.of());
    }

    /** As {@link #start(String, Map)}, with extra environment variables ({@code HF_ENDPOINT}, …). */
    static TrainerProcess start(String name, Map<String, String> settings, Map<String, String> environment)
            throws IOException {
        Infrastructure infrastructure = Infrastructure.get();
        int port = Ports.free();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.http.port", String.valueOf(port));
        properties.put("quarkus.datasource.jdbc.url", infrastructure.jdbcUrl());
        properties.put("quarkus.datasource.username", infrastructure.username());
        properties.put("quarkus.datasource.password", infrastructure.password());
        properties.put("kafka.bootstrap.servers", infrastructure.bootstrapServers());
        properties.put("tunewright.identity.secret", InfrastructureResource.IDENTITY_SECRET);
        properties.put("tunewright.artifacts.dir", infrastructure.artifactsDir().toString());
        properties.put("tunewright.models.dir", TrainerFixtures.get().modelsDir().toString());
        properties.put("tunewright.trainer.worker.torch-threads", "1");
        properties.put("tunewright.trainer.worker.work-dir", TrainerFixtures.get().root().resolve("runs-" + name).toString());
        properties.put("tunewright.trainer.dataset-service-url", "http://127.0.0.1:9");
        properties.put("quarkus.flyway.schemas", SCHEMA);
        properties.put("quarkus.hibernate-orm.database.default-schema", SCHEMA);
        properties.put("mp.messaging.incoming.dataset-events.group.id", SCHEMA);
        properties.putAll(settings);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        Path log = Path.of("target", "trainer-processes", name + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new TrainerProcess(process, port, log);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the process answers ready, or fails quoting its log. */
    TrainerProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("trainer process exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trainer process not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no hand-back; the job's lease just stops being renewed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The exit code once the process ends by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("trainer process still running after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
