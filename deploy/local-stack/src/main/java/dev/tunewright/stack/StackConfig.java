package dev.tunewright.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the stack keeps its state, where the built services are, and which ports it takes.
 *
 * @param kafkaControllerPort 0 picks a free port at start
 * @param gatewayHost         the interface the gateway listens on; every other service, Kafka and PostgreSQL listen
 *                            on the loopback interface only, so the gateway is the one way in
 */
public record StackConfig(Path stateDir, Path repoDir, Map<Service, Integer> servicePorts, int kafkaPort,
                          int kafkaControllerPort, int postgresPort, Duration healthTimeout, String gatewayHost) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(120);
    /** All interfaces: teams on other machines reach the platform through the gateway, and only through it. */
    public static final String DEFAULT_GATEWAY_HOST = "0.0.0.0";
    public static final String LOOPBACK = "127.0.0.1";

    public StackConfig {
        stateDir = stateDir.toAbsolutePath().normalize();
        repoDir = repoDir.toAbsolutePath().normalize();
        EnumMap<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, servicePorts.getOrDefault(service, service.defaultPort()));
        }
        servicePorts = Collections.unmodifiableMap(ports);
        gatewayHost = gatewayHost == null || gatewayHost.isBlank() ? DEFAULT_GATEWAY_HOST : gatewayHost.trim();
    }

    public static StackConfig defaults(Path stateDir, Path repoDir) {
        return new StackConfig(stateDir, repoDir, Map.of(), DEFAULT_KAFKA_PORT, 0, DEFAULT_POSTGRES_PORT, DEFAULT_HEALTH_TIMEOUT,
                DEFAULT_GATEWAY_HOST);
    }

    /** Every port free at the time of the call, so a test stack runs beside a developer's own. */
    public static StackConfig onFreePorts(Path stateDir, Path repoDir) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Ports.free());
        }
        return new StackConfig(stateDir, repoDir, ports, Ports.free(), Ports.free(), Ports.free(), DEFAULT_HEALTH_TIMEOUT,
                DEFAULT_GATEWAY_HOST);
    }

    public StackConfig withServicePort(Service service, int port) {
        Map<Service, Integer> ports = new EnumMap<>(servicePorts);
        ports.put(service, port);
        return new StackConfig(stateDir, repoDir, ports, kafkaPort, kafkaControllerPort, postgresPort, healthTimeout, gatewayHost);
    }

    public StackConfig withKafkaPort(int port) {
        return new StackConfig(stateDir, repoDir, servicePorts, port, kafkaControllerPort, postgresPort, healthTimeout, gatewayHost);
    }

    public StackConfig withKafkaControllerPort(int port) {
        return new StackConfig(stateDir, repoDir, servicePorts, kafkaPort, port, postgresPort, healthTimeout, gatewayHost);
    }

    public StackConfig withPostgresPort(int port) {
        return new StackConfig(stateDir, repoDir, servicePorts, kafkaPort, kafkaControllerPort, port, healthTimeout, gatewayHost);
    }

    public StackConfig withHealthTimeout(Duration timeout) {
        return new StackConfig(stateDir, repoDir, servicePorts, kafkaPort, kafkaControllerPort, postgresPort, timeout, gatewayHost);
    }

    /** Where the gateway listens ({@code 127.0.0.1} keeps the whole stack off the network). */
    public StackConfig withGatewayHost(String host) {
        return new StackConfig(stateDir, repoDir, servicePorts, kafkaPort, kafkaControllerPort, postgresPort, healthTimeout, host);
    }

    /** The interface a service listens on. */
    public String host(Service service) {
        return service == Service.GATEWAY ? gatewayHost : LOOPBACK;
    }

    public int port(Service service) {
        return servicePorts.get(service);
    }

    /** Every fixed port with the component that wants it, in start order; the free controller port is left out. */
    Map<String, Integer> portsByComponent() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka", kafkaPort);
        if (kafkaControllerPort != 0) {
            ports.put("the Kafka controller", kafkaControllerPort);
        }
        ports.put("PostgreSQL", postgresPort);
        servicePorts.forEach((service, port) -> ports.put(service.id(), port));
        return ports;
    }
}
