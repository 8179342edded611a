package dev.tunewright.cli;

import dev.tunewright.stack.Service;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shows a component's log file from the state dir, optionally following it as it grows. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the end of a service's log, or of kafka, postgres or stack (the background launcher).",
                "SERVICE: gateway, dataset-service, trainer-service, eval-service, registry-service, kafka, postgres, stack."})
public class StackLogsCommand implements Callable<Integer> {

    @Mixin
    StateDirOption state;

    @Parameters(index = "0", paramLabel = "SERVICE", description = "Whose log to show.")
    String component;

    @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until Ctrl-C.")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50",
            description = "How many lines from the end to print first (default: ${DEFAULT-VALUE}).")
    int lines;

    @Spec
    CommandSpec spec;

    static List<String> components() {
        List<String> names = new ArrayList<>(Arrays.stream(Service.values()).map(Service::id).toList());
        names.addAll(List.of("kafka", "postgres", "stack"));
        return names;
    }

    @Override
    public Integer call() throws IOException {
        if (!components().contains(component)) {
            throw new StackException("unknown service " + component + "; one of: " + String.join(", ", components()));
        }
        if (lines < 0) {
            throw new StackException("--lines must be 0 or more, not " + lines);
        }
        StateDir stateDir = state.resolve();
        Path log = stateDir.log(component);
        if (!Files.isRegularFile(log)) {
            throw new StackException("no log for " + component + " yet (looked for " + log + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        long position = printTail(log, out);
        while (follow) {
            position = printNew(log, position, out);
            Waits.pause(Duration.ofMillis(250));
        }
        return 0;
    }

    private long printTail(Path log, PrintWriter out) throws IOException {
        long size = Files.size(log);
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (lines == 0) {
                    continue;
                }
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        }
        tail.forEach(out::println);
        out.flush();
        return size;
    }

    /** Starts over when the file shrank: a new stack truncating or replacing the log. */
    private static long printNew(Path log, long position, PrintWriter out) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        long size = Files.size(log);
        if (size < position) {
            position = 0;
        }
        if (size == position) {
            return position;
        }
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            in.seek(position);
            byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
            in.readFully(bytes);
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
            return position + bytes.length;
        }
    }
}
