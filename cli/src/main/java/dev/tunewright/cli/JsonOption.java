package dev.tunewright.cli;

import picocli.CommandLine.Option;

/**
 * {@code --json}: one definition for every command that can answer in JSON. The model commands share one vocabulary
 * ({@code token_ids}, {@code text}; README, "Models from the command line").
 */
public final class JsonOption {

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    public boolean requested() {
        return json;
    }
}
