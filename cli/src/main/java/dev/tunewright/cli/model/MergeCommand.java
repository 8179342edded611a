package dev.tunewright.cli.model;

import dev.tunewright.engine.lora.LoraMerge;
import dev.tunewright.engine.safetensors.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Bakes a LoRA adapter into a standalone model folder for servers that take plain checkpoints. */
@Command(name = "merge",
        header = "Merge a PEFT LoRA adapter into a complete model folder (W + scale·B·A).",
        description = {"Writes config.json, generation and tokenizer files and safetensors weights to --out,",
                "atomically. Weights keep the base dtype unless --dtype is given."},
        mixinStandardHelpOptions = true)
public class MergeCommand extends LocalModelCommand {

    @Mixin
    ModelOption model;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (replaced if it exists).")
    Path out;

    @Option(names = "--dtype", paramLabel = "DTYPE",
            description = "float32, bfloat16 or float16 for every tensor. Default: the base's own dtypes.")
    String dtype;

    @Override
    int run(PrintWriter stdout, PrintWriter err) throws Exception {
        DType type = dtype == null ? null : LoraMerge.parseDtype(dtype);
        int changed = LoraMerge.merge(model.resolve(err), adapter, out, type);
        stdout.println("merged " + adapter + " into " + changed + " linear layers; wrote " + out);
        return 0;
    }
}
