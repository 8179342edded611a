package dev.tunewright.cli.model;

import dev.tunewright.engine.chat.ChatTemplateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * Turns the failures a user can cause (a missing folder, an unsupported model, a bad token id, a broken
 * messages file) into one "error: ..." line on stderr and exit code 1; anything else is a bug and keeps
 * its stack trace through the top-level handler.
 */
final class ModelCliErrors {

    private ModelCliErrors() {}

    static Integer run(PrintWriter err, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IOException | UncheckedIOException | IllegalArgumentException | ChatTemplateException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
