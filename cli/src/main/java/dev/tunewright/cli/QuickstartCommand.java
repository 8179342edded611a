package dev.tunewright.cli;

import dev.tunewright.stack.Health;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.StatusTable;
import dev.tunewright.stack.Waits;
import dev.tunewright.cli.quickstart.DemoModel;
import dev.tunewright.cli.quickstart.QuickstartFlow;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The shortest way from a fresh clone to a working platform: one command, a running stack and a key to use. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Start the stack in the background unless it runs already, wait until it is healthy, then run "
                + "the whole flow through the gateway with the default team's key: demo support tickets, upload, "
                + "dataset with a 10% stratified holdout, a LoRA job followed live, the base-versus-fine-tuned "
                + "evaluation with its verdict, the registered adapter and the report. --no-demo only starts the stack.")
public class QuickstartCommand implements Callable<Integer> {

    @Mixin
    StateDirOption state;

    @Option(names = "--health-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for every service to report ready (default: ${DEFAULT-VALUE}).")
    int healthTimeoutSeconds;

    @Option(names = "--model", paramLabel = "ID_OR_DIR",
            description = "Base model to fine-tune: a Hugging Face id (for example Qwen/Qwen2.5-0.5B-Instruct) or a model "
                    + "folder. Default: a tiny randomly initialised demo model written locally, which shows the "
                    + "mechanics in a few minutes on two CPU cores, not quality.")
    String model;

    @Option(names = "--no-demo", description = "Only start the stack and print its key; fine-tune nothing.")
    boolean noDemo;

    @Option(names = "--timeout", paramLabel = "MINUTES", defaultValue = "60",
            description = "How long to wait for the evaluation and the registration (default: ${DEFAULT-VALUE}).")
    int timeoutMinutes;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        StateDir stateDir = state.resolve();
        Duration timeout = Duration.ofSeconds(healthTimeoutSeconds);
        StackState stack;
        if (StackLock.isHeld(stateDir)) {
            stack = awaitRunning(stateDir, timeout.plusMinutes(3));
            Map<String, String> health = new LinkedHashMap<>();
            stack.services().forEach(service -> health.put(service.name(), Health.check(service.url())));
            out.println("the stack is already running (pid " + stack.launcherPid() + ")");
            out.println();
            out.print(StatusTable.render(stack, health));
        } else {
            stack = new DetachedStart(stateDir, out).start(List.of("--health-timeout", String.valueOf(healthTimeoutSeconds)), timeout);
        }
        Optional<String> key = stateDir.readSecret(StateDir.DEFAULT_API_KEY);
        out.println();
        if (key.isEmpty()) {
            out.println("the default team has no stored key; make one with: ftctl teams keys create default");
            return 0;
        }
        out.println("default team API key (kept in " + stateDir.secrets().resolve(StateDir.DEFAULT_API_KEY) + "):");
        out.println("  " + key.get());
        out.println();
        if (!noDemo) {
            PrintWriter writer = new PrintWriter(out, true);
            QuickstartFlow.Model base = model == null
                    ? new QuickstartFlow.Model(DemoModel.install(stateDir.models()).folder().getFileName().toString(), true)
                    : new QuickstartFlow.Model(Files.isDirectory(Path.of(model)) ? Path.of(model).toAbsolutePath().toString()
                            : model, false);
            new QuickstartFlow(new TeamApi(stack.gatewayUrl().orElseThrow(), key.get()), writer,
                    new PrintWriter(System.err, true), Duration.ofMinutes(timeoutMinutes))
                    .run(base, QuickstartFlow.workDir(stateDir.root()));
            out.println();
        }
        out.println("try it:");
        out.println("  curl -H 'Authorization: Bearer " + key.get() + "' " + stack.gatewayUrl().orElse("") + "/v1/datasets");
        out.println("stop the stack with: ./ftctl stack down");
        return 0;
    }

    /** Another ftctl may be starting the stack right now; its result is as good as ours. */
    private static StackState awaitRunning(StateDir stateDir, Duration timeout) {
        StackState[] found = new StackState[1];
        boolean running = Waits.until(() -> {
            Optional<StackState> state = StackState.read(stateDir.stackFile());
            state.ifPresent(value -> found[0] = value);
            return state.map(value -> StackState.RUNNING.equals(value.status())).orElse(false) || !StackLock.isHeld(stateDir);
        }, timeout, Duration.ofMillis(250));
        if (!running || found[0] == null || !StackState.RUNNING.equals(found[0].status())) {
            throw new StackException("the stack in " + stateDir + " is not running; see " + stateDir.log("stack"));
        }
        return found[0];
    }
}
