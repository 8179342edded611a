package dev.tunewright.cli.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * Runs a model command so that expected failures (a broken folder, a template that raises, a hub
 * error) print one {@code error:} line on stderr and exit 1, without a stack trace.
 */
final class CliErrors {

    static final int FAILED = 1;

    private CliErrors() {
    }

    static int run(PrintWriter err, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            return fail(err, e);
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("dev.tunewright.engine.")) {
                return fail(err, e);
            }
            throw e;
        }
    }

    private static int fail(PrintWriter err, Exception e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return FAILED;
    }
}
