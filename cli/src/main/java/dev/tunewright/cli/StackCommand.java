package dev.tunewright.cli;

import picocli.CommandLine.Command;

/** Groups the commands that run the local stack. */
@Command(name = "stack",
        mixinStandardHelpOptions = true,
        description = "Start, stop and inspect the local stack (Kafka, PostgreSQL and every service).",
        subcommands = {
                StackUpCommand.class,
                StackDownCommand.class,
                StackStatusCommand.class,
                StackLogsCommand.class
        })
public class StackCommand extends CommandGroup {
}
