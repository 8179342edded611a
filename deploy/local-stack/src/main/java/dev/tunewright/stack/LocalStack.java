package dev.tunewright.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The whole platform on one machine: Kafka and PostgreSQL in this JVM, each service as a child JVM. Every
 * failure while starting stops what was already started, so a failed `up` never leaves processes or a lock. Only the
 * gateway listens beyond the loopback interface. Once running, a service that dies is started again with back-off
 * ({@link ServiceSupervisor}), and its restarts show in {@code stack status}.
 */
public final class LocalStack implements AutoCloseable {

    public static final String DEFAULT_TEAM = "default";
    private static final Duration SERVICE_STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration HEALTH_POLL = Duration.ofMillis(250);

    private final StackConfig config;
    private final StateDir stateDir;
    private final PrintStream out;

    private final List<ServiceProcess> services = new ArrayList<>();
    private StackLock lock;
    private LocalKafka kafka;
    private LocalPostgres postgres;
    private StackState state;
    private String newDefaultKey;
    private volatile boolean stopping;
    private ServiceSupervisor supervisor;

    /** @param out where progress lines go; the status table is left to the caller */
    public LocalStack(StackConfig config, PrintStream out) {
        this.config = config;
        this.stateDir = new StateDir(config.stateDir());
        this.out = out;
    }

    /** Starts everything and returns once every service reports ready. */
    public StackState start() {
        stateDir.prepare();
        synchronized (this) {
            if (lock != null || stopping) {
                throw new StackException("this launcher was already used; create a new one");
            }
            lock = StackLock.acquire(stateDir);
        }
        try {
            Leftovers.cleanUpLocked(stateDir, out);
            checkPorts();
            LocalPostgres.checkVersion(stateDir.postgres());
            checkJars();
            String identitySecret = stateDir.secret(StateDir.IDENTITY_SECRET);
            String adminToken = stateDir.secret(StateDir.ADMIN_TOKEN);
            writeState(initialState());

            startInfrastructure();
            startServices(identitySecret, adminToken);
            awaitHealthy();
            ensureDefaultTeam(adminToken);
            writeState(state.withStatus(StackState.RUNNING));
            supervise();
            return state;
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops services, then Kafka, then PostgreSQL; safe to call twice and from a shutdown hook during start. */
    public void stop() {
        stopping = true;
        synchronized (this) {
            if (supervisor != null) {
                supervisor.stop();
            }
        }
        synchronized (this) {
            if (lock == null) {
                stopComponents();
                return;
            }
            try {
                if (state != null) {
                    writeState(state.withStatus(StackState.STOPPING));
                }
            } catch (StackException e) {
                out.println("warning: " + e.getMessage());
            }
            stopComponents();
            try {
                Files.deleteIfExists(stateDir.stackFile());
            } catch (IOException e) {
                out.println("warning: cannot delete " + stateDir.stackFile() + ": " + e.getMessage());
            }
            lock.close();
            lock = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public StateDir stateDir() {
        return stateDir;
    }

    public synchronized Optional<StackState> state() {
        return Optional.ofNullable(state);
    }

    /** The default team's key when this start created it; it is shown once and kept only in the secrets folder. */
    public Optional<String> newDefaultKey() {
        return Optional.ofNullable(newDefaultKey);
    }

    /** Service pids, for callers that must prove nothing outlives the stack. */
    public synchronized List<Long> servicePids() {
        return services.stream().map(ServiceProcess::pid).toList();
    }

    private StackState initialState() {
        List<StackState.ServiceEntry> entries = new ArrayList<>();
        for (Service service : Service.values()) {
            int port = config.port(service);
            entries.add(new StackState.ServiceEntry(service.id(), "http://127.0.0.1:" + port, port, null,
                    stateDir.log(service.id()).toString()));
        }
        return new StackState(StackState.STARTING, ProcessHandle.current().pid(), stateDir.toString(),
                Instant.now().toString(), "127.0.0.1:" + config.kafkaPort(),
                "jdbc:postgresql://127.0.0.1:" + config.postgresPort() + "/" + LocalPostgres.DATABASE, null, entries);
    }

    private void checkPorts() {
        Map<Integer, String> owners = new HashMap<>();
        for (Map.Entry<String, Integer> entry : config.portsByComponent().entrySet()) {
            String other = owners.putIfAbsent(entry.getValue(), entry.getKey());
            if (other != null) {
                throw new StackException("port " + entry.getValue() + " is configured for both " + other + " and " + entry.getKey());
            }
        }
        config.portsByComponent().forEach((component, port) -> Ports.requireAvailable(port, component));
    }

    private void checkJars() {
        List<String> missing = new ArrayList<>();
        for (Service service : Service.values()) {
            Path jar = ServiceProcess.jar(config.repoDir(), service);
            if (!Files.isRegularFile(jar)) {
                missing.add(config.repoDir().relativize(jar).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new StackException("the services are not built (missing " + String.join(", ", missing)
                    + "); build them with: mvn -B -DskipTests install (in " + config.repoDir() + ")");
        }
    }

    private void startInfrastructure() {
        synchronized (this) {
            checkNotStopping();
            kafka = new LocalKafka(stateDir.kafka(), config.kafkaPort(), config.kafkaControllerPort(), stateDir.log("kafka"));
            postgres = new LocalPostgres(stateDir.postgres(), config.postgresPort(), stateDir.log("postgres"), true);
        }
        out.println("starting Kafka on " + kafka.bootstrapServers() + " and PostgreSQL on 127.0.0.1:" + postgres.port());
        CompletableFuture<Void> database = CompletableFuture.runAsync(postgres::start);
        RuntimeException failure = null;
        try {
            kafka.start();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            database.join();
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (this) {
            checkNotStopping();
            writeState(state.withPostgresPid(postgres.pid().orElse(null)));
        }
    }

    private void startServices(String identitySecret, String adminToken) {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("TUNEWRIGHT_DB_URL", postgres.jdbcUrl());
        common.put("TUNEWRIGHT_DB_USER", LocalPostgres.USER);
        common.put("TUNEWRIGHT_DB_PASSWORD", LocalPostgres.PASSWORD);
        common.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        common.put("TUNEWRIGHT_IDENTITY_SECRET", identitySecret);
        common.put("TUNEWRIGHT_ARTIFACTS_DIR", stateDir.artifacts().toString());
        // On one machine a developer's own model folders may be named in requests; production lists its models.
        common.put("TUNEWRIGHT_MODELS_DIR", stateDir.models().toString());
        common.put("TUNEWRIGHT_MODELS_ALLOW_LOCAL_PATHS", "true");
        out.println("starting " + Service.values().length + " services (logs in " + stateDir.logs() + ")");
        for (Service service : Service.values()) {
            Map<String, String> env = new LinkedHashMap<>(common);
            env.put("QUARKUS_HTTP_PORT", String.valueOf(config.port(service)));
            env.put("QUARKUS_HTTP_HOST", config.host(service));
            if (service == Service.TRAINER) {
                // the trainer checks a job's files with the dataset service, as the caller's team
                env.put(Service.DATASET.urlVariable(), "http://127.0.0.1:" + config.port(Service.DATASET));
            }
            if (service == Service.EVAL) {
                // adapters unpacked from the artifact store for serving, kept with the stack's other state
                env.put("TUNEWRIGHT_EVAL_CACHE_DIR", stateDir.root().resolve("eval-cache").toString());
            }
            if (service == Service.GATEWAY) {
                env.put("TUNEWRIGHT_ADMIN_TOKEN", adminToken);
                for (Service backend : Service.values()) {
                    if (backend.urlVariable() != null) {
                        env.put(backend.urlVariable(), "http://127.0.0.1:" + config.port(backend));
                    }
                }
            }
            synchronized (this) {
                checkNotStopping();
                ServiceProcess process = new ServiceProcess(service, config.port(service), config.repoDir(),
                        stateDir.log(service.id()));
                process.start(stateDir.root(), env);
                services.add(process);
                writeState(state.withServicePid(service.id(), process.pid()));
            }
        }
    }

    private void awaitHealthy() {
        long started = System.nanoTime();
        long deadline = started + config.healthTimeout().toNanos();
        Set<ServiceProcess> pending = new LinkedHashSet<>(services);
        while (!pending.isEmpty()) {
            checkNotStopping();
            for (ServiceProcess service : List.copyOf(pending)) {
                String exit = service.exitReport();
                if (exit != null) {
                    throw new StackException(exit);
                }
                if (Health.isUp(service.url())) {
                    pending.remove(service);
                    out.printf("  %-17s ready after %.1f s%n", service.service().id(), (System.nanoTime() - started) / 1e9);
                }
            }
            if (!pending.isEmpty() && System.nanoTime() - deadline > 0) {
                ServiceProcess first = pending.iterator().next();
                throw new StackException(pending.stream().map(s -> s.service().id()).collect(Collectors.joining(", "))
                        + " not ready within " + config.healthTimeout().toSeconds() + " s; last lines of " + first.log() + ":"
                        + LogTail.lastLines(first.log(), 15));
            }
            if (!pending.isEmpty()) {
                Waits.pause(HEALTH_POLL);
            }
        }
    }

    private synchronized void supervise() {
        checkNotStopping();
        supervisor = new ServiceSupervisor(this::servicesNow, new ServiceSupervisor.Listener() {
            @Override
            public void exited(ServiceProcess service, Duration restartIn) {
                synchronized (LocalStack.this) {
                    if (stopping) {
                        return;
                    }
                    out.printf("%s stopped unexpectedly (%s); starting it again in %d s%n", service.service().id(),
                            service.lastExit(), restartIn.toSeconds());
                    writeState(state.withService(service.service().id(), null, service.restarts(), service.lastExit()));
                }
            }

            @Override
            public void restart(ServiceProcess service) {
                synchronized (LocalStack.this) {
                    if (stopping) {
                        return;
                    }
                    try {
                        service.restart();
                    } catch (StackException e) {
                        out.println("warning: " + e.getMessage() + "; trying again");
                        return;
                    }
                    out.printf("%s started again (pid %d, restart %d)%n", service.service().id(), service.pid(),
                            service.restarts());
                    writeState(state.withService(service.service().id(), service.pid(), service.restarts(), null));
                }
            }
        });
        Thread thread = new Thread(supervisor, "stack-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    private synchronized List<ServiceProcess> servicesNow() {
        return List.copyOf(services);
    }

    /**
     * The first start creates the default team so a user has a working key right away. A failure here is
     * reported but does not tear down an otherwise healthy stack: teams can still be made with `ftctl teams create`.
     */
    private void ensureDefaultTeam(String adminToken) {
        if (stateDir.readSecret(StateDir.DEFAULT_API_KEY).isPresent()) {
            return;
        }
        try {
            JsonNode created = new AdminApi(serviceUrl(Service.GATEWAY), adminToken).createTeam(DEFAULT_TEAM);
            String key = created.path("api_key").path("key").asText("");
            if (key.isEmpty()) {
                out.println("warning: the gateway created the default team but returned no API key");
                return;
            }
            stateDir.writeSecret(StateDir.DEFAULT_API_KEY, key);
            newDefaultKey = key;
        } catch (AdminApi.ApiException e) {
            if (e.status() == 409) {
                out.println("note: the default team exists but its key is not in " + stateDir.secrets()
                        + "; make one with: ftctl teams keys create " + DEFAULT_TEAM);
            } else {
                out.println("warning: could not create the default team: " + e.getMessage());
            }
        } catch (StackException e) {
            out.println("warning: could not create the default team: " + e.getMessage());
        }
    }

    private String serviceUrl(Service service) {
        return "http://127.0.0.1:" + config.port(service);
    }

    private void stopComponents() {
        List<ServiceProcess> running;
        synchronized (this) {
            running = List.copyOf(services);
        }
        long deadline = System.nanoTime() + SERVICE_STOP_TIMEOUT.toNanos();
        running.forEach(ServiceProcess::terminate);
        running.forEach(service -> service.awaitExit(deadline));
        if (kafka != null) {
            try {
                kafka.stop();
            } catch (RuntimeException e) {
                out.println("warning: Kafka did not stop cleanly: " + e.getMessage());
            }
        }
        if (postgres != null) {
            try {
                postgres.stop();
            } catch (RuntimeException e) {
                out.println("warning: PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }

    private void checkNotStopping() {
        if (stopping) {
            throw new StackException("the stack was stopped while starting");
        }
    }

    /** Once stopped, stack.json is gone for good: a late write from a start being aborted must not bring it back. */
    private synchronized void writeState(StackState next) {
        if (lock == null) {
            return;
        }
        state = next;
        next.write(stateDir.stackFile());
    }
}
