package dev.tunewright.cli.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model}, {@code --adapter}, {@code --device} and {@code --dtype}: what the commands that run a model load. */
public final class LoadedModelOptions {

    @Mixin
    ModelOption model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) to apply.")
    Path adapter;

    @Mixin
    DeviceOption device;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "DTYPE",
            description = "float32, bfloat16 or auto (bfloat16 on a CPU with AMX or AVX-512 BF16): what the model "
                    + "computes in. float32 keeps scores comparable with a float32 reference. Default: ${DEFAULT-VALUE}.")
    String dtype;

    /** The model on its device, with the adapter applied when one was given; download progress goes to {@code err}. */
    LoadedModel open(PrintWriter err) throws IOException {
        return LoadedModel.open(model.resolve(err), device.device, dtype, adapter);
    }
}
