package dev.tunewright.cli;

import dev.tunewright.stack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The tunewright command line. Each subcommand is a class of its own; adding one is one line in the list below. */
@Command(name = "ftctl",
        mixinStandardHelpOptions = true,
        versionProvider = Ftctl.Version.class,
        description = "Runs and uses a local tunewright stack: LoRA fine-tuning of small open models.",
        subcommands = {
                StackCommand.class,
                TeamsCommand.class,
                QuickstartCommand.class,
                dev.tunewright.cli.model.ModelCommand.class,
                dev.tunewright.cli.jobs.JobsCommand.class,
                dev.tunewright.cli.adapters.AdaptersCommand.class,
                dev.tunewright.cli.evals.EvalsCommand.class,
                CommandLine.HelpCommand.class
        })
public class Ftctl implements Runnable {

    /** No stack is running; for `stack status`, in the manner of service managers' status commands. */
    public static final int EXIT_NOT_RUNNING = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by main and the tests so both see the same error handling. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Ftctl());
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandTree());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            if (exception instanceof StackException) {
                command.getErr().println("error: " + exception.getMessage());
            } else {
                command.getErr().println("error: " + exception);
                exception.printStackTrace(command.getErr());
            }
            command.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return commandLine;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Ftctl.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"ftctl (tunewright) " + properties.getProperty("version", "unknown")};
        }
    }
}
