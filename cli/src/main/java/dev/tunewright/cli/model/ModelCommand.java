package dev.tunewright.cli.model;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Local model tools: look inside a model folder or hub model without running the stack. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Inspect a model, tokenize text, render chat templates, score, generate and merge LoRA adapters (folder or hub id).",
        subcommands = {
                InspectCommand.class,
                TokenizeCommand.class,
                RenderCommand.class,
                ScoreCommand.class,
                TrainCommand.class,
                GenerateCommand.class,
                MergeCommand.class
        })
public class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
