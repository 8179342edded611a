package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.CommandGroup;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** Fine-tuning jobs of a team, through the gateway's OpenAI-compatible jobs API. */
@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = "Create, list, follow, cancel, pause and resume fine-tuning jobs (the team's API key).",
        subcommands = {
                CreateJobCommand.class,
                ListJobsCommand.class,
                JobsCommand.Show.class,
                JobEventsCommand.class,
                FollowJobCommand.class,
                JobsCommand.Cancel.class,
                JobsCommand.Pause.class,
                JobsCommand.Resume.class
        })
public class JobsCommand extends CommandGroup {

    static final String JOBS = "/v1/fine_tuning/jobs";

    /** One line about a job: id, status, progress or result. */
    static String summary(JsonNode job) {
        StringBuilder line = new StringBuilder(job.path("id").asText()).append("  ").append(job.path("status").asText());
        JsonNode progress = job.path("progress");
        if (progress.path("total_steps").isNumber()) {
            line.append("  step ").append(progress.path("step").asInt()).append('/').append(progress.path("total_steps").asInt());
        }
        if (job.path("queue_position").isNumber()) {
            line.append("  queue position ").append(job.path("queue_position").asInt());
        }
        if (!job.path("fine_tuned_model").isNull() && !job.path("fine_tuned_model").isMissingNode()) {
            line.append("  ").append(job.path("fine_tuned_model").asText());
        }
        if (job.path("error").isObject()) {
            line.append("  error ").append(job.path("error").path("code").asText()).append(": ")
                    .append(job.path("error").path("message").asText());
        }
        return line.toString();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a job.")
    static class Show extends JobCommand {
        @Override
        public Integer call() throws Exception {
            JsonNode found = teamApi().get(path(""), Map.of());
            if (printedJson(found)) {
                return 0;
            }
            PrintWriter out = out();
            out.println(summary(found));
            out.println("  model            " + found.path("model").asText());
            out.println("  training_file    " + found.path("training_file").asText()
                    + (found.path("validation_file").isTextual() ? "  validation_file " + found.path("validation_file").asText() : ""));
            out.println("  hyperparameters  " + found.path("hyperparameters"));
            out.println("  lora             " + found.path("lora"));
            out.println("  seed             " + found.path("seed").asText());
            if (found.path("trained_tokens").isNumber()) {
                out.println("  trained_tokens   " + found.path("trained_tokens").asLong());
            }
            if (found.path("result_files").size() > 0) {
                out.println("  result_files     " + found.path("result_files"));
            }
            out.flush();
            return 0;
        }
    }

    /** cancel, pause and resume: a POST that answers with the job. */
    abstract static class Move extends JobCommand {
        abstract String move();

        @Override
        public Integer call() throws Exception {
            printJob(teamApi().send("POST", path("/" + move()), null));
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a job; a running one stops after its current step and keeps its last checkpoint.")
    static class Cancel extends Move {
        @Override
        String move() {
            return "cancel";
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a job; a running one writes a checkpoint after its current step and frees its worker.")
    static class Pause extends Move {
        @Override
        String move() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a paused job: back in the queue, it continues from its checkpoint.")
    static class Resume extends Move {
        @Override
        String move() {
            return "resume";
        }
    }
}
