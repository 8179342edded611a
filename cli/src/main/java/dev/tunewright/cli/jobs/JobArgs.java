package dev.tunewright.cli.jobs;

import dev.tunewright.cli.TeamApi;
import dev.tunewright.cli.TeamApiOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a command about one job takes: how to reach the API, the job's id, and whether to print JSON. */
public class JobArgs {

    @Mixin
    TeamApiOptions api;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job id (ftjob-…).")
    String job;

    @Option(names = "--json", description = "Print the API's JSON answer.")
    boolean json;

    TeamApi teamApi() {
        return api.teamApi();
    }

    /** The job's path, with {@code suffix} ({@code /events}, {@code /cancel}, …) appended. */
    String path(String suffix) {
        return JobsCommand.JOBS + "/" + job + suffix;
    }
}
