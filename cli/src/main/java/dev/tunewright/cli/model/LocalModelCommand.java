package dev.tunewright.cli.model;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every local model command shares: an expected failure is one {@code error:} line and exit 1
 * ({@link CliErrors}), and what it printed is flushed.
 */
abstract class LocalModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliErrors.run(err, () -> {
            int exit = run(out, err);
            out.flush();
            return exit;
        });
    }

    /** The command itself; {@code err} also gets download progress. */
    abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
