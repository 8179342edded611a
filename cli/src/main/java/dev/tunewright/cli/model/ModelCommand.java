package dev.tunewright.cli.model;

import dev.tunewright.cli.CommandGroup;
import picocli.CommandLine.Command;

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
public class ModelCommand extends CommandGroup {
}
