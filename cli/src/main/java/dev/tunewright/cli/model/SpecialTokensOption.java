package dev.tunewright.cli.model;

import picocli.CommandLine.Option;

/** {@code --add-special-tokens}: whether the tokenizer adds its special tokens to {@code --text}. */
public final class SpecialTokensOption {

    @Option(names = "--add-special-tokens", description = "Let the tokenizer add its special tokens (e.g. BOS) to --text.")
    boolean add;
}
