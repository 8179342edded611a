package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that answers with an API's JSON under {@code --json} and with text otherwise. */
public abstract class ApiCommand implements Callable<Integer> {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code answer} as JSON when --json was given; returns whether it did. */
    protected boolean printedJson(JsonNode answer) throws IOException {
        if (json.requested()) {
            out().println(JSON.writeValueAsString(answer));
            out().flush();
        }
        return json.requested();
    }
}
