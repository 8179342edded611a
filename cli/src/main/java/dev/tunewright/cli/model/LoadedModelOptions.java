package dev.tunewright.cli.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --adapter} and {@code --device}: what the commands that run a model load. */
public final class LoadedModelOptions {

    @Mixin
    ModelOption model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) to apply.")
    Path adapter;

    @Mixin
    DeviceOption device;

    /** The model on its device, with the adapter applied when one was given; download progress goes to {@code err}. */
    LoadedModel open(PrintWriter err) throws IOException {
        return LoadedModel.open(model.resolve(err), device.device, adapter);
    }
}
