package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.cli.TeamApiOptions;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** A command about one job: how to reach the API, the job's id, and {@code --json} for the API's answer. */
abstract class JobCommand extends ApiCommand {

    @Mixin
    TeamApiOptions api;

    @Parameters(index = "0", paramLabel = "JOB", description = "Job id (ftjob-…).")
    String job;

    TeamApi teamApi() {
        return api.teamApi();
    }

    /** The job's path, with {@code suffix} ({@code /events}, {@code /cancel}, …) appended. */
    String path(String suffix) {
        return JobsCommand.JOBS + "/" + job + suffix;
    }

    /** The job as JSON under {@code --json}, else its one-line summary. */
    void printJob(JsonNode found) throws IOException {
        if (!printedJson(found)) {
            out().println(JobsCommand.summary(found));
            out().flush();
        }
    }
}
