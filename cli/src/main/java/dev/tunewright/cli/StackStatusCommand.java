package dev.tunewright.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.stack.Health;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.StatusTable;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reports the stack as it is now: stack.json for where things are, a live probe for whether they are healthy. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the services, their URLs and health, and the Kafka and PostgreSQL addresses.",
                "Exit code 3 when no stack is running."})
public class StackStatusCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    StateDirOption state;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        StateDir stateDir = state.resolve();
        Optional<StackState> current = StackLock.isHeld(stateDir) ? StackState.read(stateDir.stackFile()) : Optional.empty();
        if (current.isEmpty()) {
            if (json) {
                ObjectNode node = JSON.createObjectNode().put("running", false).put("state_dir", stateDir.toString());
                out.println(JSON.writeValueAsString(node));
            } else {
                out.println("no stack is running (state dir " + stateDir + ")");
            }
            return Ftctl.EXIT_NOT_RUNNING;
        }
        StackState stack = current.get();
        Map<String, String> health = new LinkedHashMap<>();
        stack.services().forEach(service -> health.put(service.name(), Health.check(service.url())));
        if (json) {
            ObjectNode node = JSON.valueToTree(stack);
            node.put("running", true);
            ArrayNode services = (ArrayNode) node.get("services");
            services.forEach(service -> ((ObjectNode) service).put("health", health.get(service.get("name").asText())));
            out.println(JSON.writeValueAsString(node));
        } else {
            out.println("stack " + stack.status() + " (pid " + stack.launcherPid() + ", since " + stack.startedAt() + ")");
            out.println();
            out.print(StatusTable.render(stack, health));
        }
        out.flush();
        return 0;
    }
}
