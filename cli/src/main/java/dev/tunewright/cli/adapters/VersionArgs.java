package dev.tunewright.cli.adapters;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code NAME[@ALIAS]} and {@code --version N}: how the commands that act on one version name it. */
class VersionArgs {

    @Parameters(index = "0", paramLabel = "NAME[@ALIAS]", description = "Adapter name, or name@alias (name@latest: the newest version).")
    String adapter;

    @Option(names = "--version", paramLabel = "N", description = "One version of the adapter.")
    Integer version;

    AdapterRef ref() {
        return AdapterRef.parse(adapter, version);
    }
}
