package dev.tunewright.cli.jobs;

import dev.tunewright.cli.TeamApiOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A job's events live, with a progress bar, until the job ends. */
@Command(name = "follow", mixinStandardHelpOptions = true,
        description = {"Follow a job live: its messages, and a progress bar with loss, tokens/s and ETA.",
                "Exits 0 when the job succeeds, 1 when it fails or is cancelled, 2 when it is paused."})
public class FollowJobCommand implements Callable<Integer> {

    @Mixin
    TeamApiOptions api;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job id (ftjob-…).")
    String job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return new JobFollower(api.teamApi(), spec.commandLine().getOut(), spec.commandLine().getErr()).follow(job);
    }
}
