package dev.tunewright.cli;

import dev.tunewright.stack.Health;
import dev.tunewright.stack.LocalStack;
import dev.tunewright.stack.Service;
import dev.tunewright.stack.StackConfig;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.StatusTable;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts the stack in this process (until Ctrl-C or `stack down`), or in a background process with --detach. */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        description = {"Start Kafka, PostgreSQL and every service, wait until all are healthy and print where they are.",
                "Runs in the foreground until Ctrl-C or `ftctl stack down`; --detach returns once the stack is healthy."})
public class StackUpCommand implements Callable<Integer> {

    @Mixin
    StateDirOption state;

    @Option(names = {"-d", "--detach"}, description = "Run the stack in a background process and return once it is healthy.")
    boolean detach;

    @Option(names = "--gateway-port", paramLabel = "PORT", description = "Default: 8080.")
    Integer gatewayPort;

    @Option(names = "--dataset-port", paramLabel = "PORT", description = "Default: 8081.")
    Integer datasetPort;

    @Option(names = "--trainer-port", paramLabel = "PORT", description = "Default: 8082.")
    Integer trainerPort;

    @Option(names = "--eval-port", paramLabel = "PORT", description = "Default: 8083.")
    Integer evalPort;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "Default: 8084.")
    Integer registryPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Default: 9092.")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "Default: a free port.")
    Integer kafkaControllerPort;

    @Option(names = "--postgres-port", paramLabel = "PORT", description = "Default: 15432.")
    Integer postgresPort;

    @Option(names = "--gateway-host", paramLabel = "HOST",
            description = "Interface the gateway listens on (default: all, 0.0.0.0; 127.0.0.1 keeps the stack off the network)."
                    + " The other services, Kafka and PostgreSQL always listen on 127.0.0.1 only.")
    String gatewayHost;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for every service to report ready (default: ${DEFAULT-VALUE}).")
    int healthTimeoutSeconds;

    /** Set by --detach on the background process it starts, whose output goes to a log file: no key, no table there. */
    @Option(names = "--detached-child", hidden = true)
    boolean detachedChild;

    @Override
    public Integer call() throws InterruptedException {
        StateDir stateDir = state.resolve();
        if (detach) {
            boolean hadKey = stateDir.readSecret(StateDir.DEFAULT_API_KEY).isPresent();
            new DetachedStart(stateDir, System.out).start(forwardedArguments(), Duration.ofSeconds(healthTimeoutSeconds));
            if (!hadKey) {
                stateDir.readSecret(StateDir.DEFAULT_API_KEY).ifPresent(key -> printNewKey(System.out, stateDir, key));
            }
            return 0;
        }
        runInForeground(stateDir);
        return 0;
    }

    StackConfig config(StateDir stateDir) {
        StackConfig config = StackConfig.defaults(stateDir.root(), Home.repoDir())
                .withHealthTimeout(Duration.ofSeconds(healthTimeoutSeconds));
        Map<Service, Integer> servicePorts = new LinkedHashMap<>();
        servicePorts.put(Service.GATEWAY, gatewayPort);
        servicePorts.put(Service.DATASET, datasetPort);
        servicePorts.put(Service.TRAINER, trainerPort);
        servicePorts.put(Service.EVAL, evalPort);
        servicePorts.put(Service.REGISTRY, registryPort);
        for (Map.Entry<Service, Integer> entry : servicePorts.entrySet()) {
            if (entry.getValue() != null) {
                config = config.withServicePort(entry.getKey(), entry.getValue());
            }
        }
        if (kafkaPort != null) {
            config = config.withKafkaPort(kafkaPort);
        }
        if (kafkaControllerPort != null) {
            config = config.withKafkaControllerPort(kafkaControllerPort);
        }
        if (postgresPort != null) {
            config = config.withPostgresPort(postgresPort);
        }
        if (gatewayHost != null) {
            config = config.withGatewayHost(gatewayHost);
        }
        return config;
    }

    /** The options the background process needs to start the same stack. */
    List<String> forwardedArguments() {
        List<String> args = new ArrayList<>();
        addIfSet(args, "--gateway-port", gatewayPort);
        addIfSet(args, "--dataset-port", datasetPort);
        addIfSet(args, "--trainer-port", trainerPort);
        addIfSet(args, "--eval-port", evalPort);
        addIfSet(args, "--registry-port", registryPort);
        addIfSet(args, "--kafka-port", kafkaPort);
        addIfSet(args, "--kafka-controller-port", kafkaControllerPort);
        addIfSet(args, "--postgres-port", postgresPort);
        addIfSet(args, "--health-timeout", healthTimeoutSeconds);
        if (gatewayHost != null) {
            args.add("--gateway-host");
            args.add(gatewayHost);
        }
        return args;
    }

    private void runInForeground(StateDir stateDir) throws InterruptedException {
        PrintStream out = System.out;
        LocalStack stack = new LocalStack(config(stateDir), out);
        Thread hook = new Thread(() -> {
            out.println("stopping the stack...");
            stack.stop();
            out.println("stack stopped");
        }, "ftctl-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        StackState started;
        try {
            started = stack.start();
        } catch (StackException e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting (Ctrl-C during start); the hook's stop is harmless.
            }
            throw e;
        }
        if (detachedChild) {
            // The command that started this process prints the table and the new key to its user.
            out.println("stack running (pid " + ProcessHandle.current().pid() + ")");
        } else {
            printSummary(out, stateDir, started, stack);
        }
        out.flush();
        new CountDownLatch(1).await();
    }

    private static void printSummary(PrintStream out, StateDir stateDir, StackState started, LocalStack stack) {
        Map<String, String> health = new LinkedHashMap<>();
        started.services().forEach(service -> health.put(service.name(), Health.UP));
        out.println();
        out.print(StatusTable.render(started, health));
        out.println();
        out.println("stack running (pid " + ProcessHandle.current().pid() + "); stop it with Ctrl-C or: ftctl stack down");
        stack.newDefaultKey().ifPresent(key -> printNewKey(out, stateDir, key));
    }

    static void printNewKey(PrintStream out, StateDir stateDir, String key) {
        out.println();
        out.println("default team API key (shown once; also kept in " + stateDir.secrets().resolve(StateDir.DEFAULT_API_KEY) + "):");
        out.println("  " + key);
    }

    private static void addIfSet(List<String> args, String option, Integer value) {
        if (value != null) {
            args.add(option);
            args.add(String.valueOf(value));
        }
    }
}
