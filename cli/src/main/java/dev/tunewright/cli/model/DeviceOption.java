package dev.tunewright.cli.model;

import picocli.CommandLine.Option;

/** {@code --device}: where the model computes; one definition so every model command reads it the same way. */
public final class DeviceOption {

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "auto (GPU if present), cpu, gpu or cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;
}
