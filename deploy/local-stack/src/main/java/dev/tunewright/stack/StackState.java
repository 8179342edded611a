package dev.tunewright.stack;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What stack.json says about a running stack: how other ftctl processes find its URLs and whom to signal.
 *
 * @param status starting, running or stopping
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(String status, long launcherPid, String stateDir, String startedAt,
                         String kafkaBootstrapServers, String postgresJdbcUrl, Long postgresPid,
                         List<ServiceEntry> services) {

    public static final String STARTING = "starting";
    public static final String RUNNING = "running";
    public static final String STOPPING = "stopping";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * @param restarts how often the launcher started the service again after it died (null in older state files)
     * @param lastExit how its last run ended, while it has been restarted at least once
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ServiceEntry(String name, String url, int port, Long pid, String log, Integer restarts, String lastExit) {

        public ServiceEntry(String name, String url, int port, Long pid, String log) {
            this(name, url, port, pid, log, 0, null);
        }

        public int restartCount() {
            return restarts == null ? 0 : restarts;
        }
    }

    public StackState {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public StackState withStatus(String newStatus) {
        return new StackState(newStatus, launcherPid, stateDir, startedAt, kafkaBootstrapServers, postgresJdbcUrl, postgresPid, services);
    }

    public StackState withPostgresPid(Long pid) {
        return new StackState(status, launcherPid, stateDir, startedAt, kafkaBootstrapServers, postgresJdbcUrl, pid, services);
    }

    public StackState withServicePid(String name, long pid) {
        return withService(name, pid, null, null);
    }

    /** The service's current pid (null: unchanged), restarts and last exit (null: unchanged). */
    public StackState withService(String name, Long pid, Integer restarts, String lastExit) {
        List<ServiceEntry> updated = new ArrayList<>();
        for (ServiceEntry entry : services) {
            updated.add(!entry.name().equals(name) ? entry : new ServiceEntry(entry.name(), entry.url(), entry.port(),
                    pid == null ? entry.pid() : pid, entry.log(), restarts == null ? entry.restarts() : restarts,
                    lastExit == null ? entry.lastExit() : lastExit));
        }
        return new StackState(status, launcherPid, stateDir, startedAt, kafkaBootstrapServers, postgresJdbcUrl, postgresPid, updated);
    }

    public Optional<ServiceEntry> service(String name) {
        return services.stream().filter(entry -> entry.name().equals(name)).findFirst();
    }

    public Optional<String> gatewayUrl() {
        return service(Service.GATEWAY.id()).map(ServiceEntry::url);
    }

    public static Optional<StackState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new StackException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public void write(Path file) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
