package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.stack.StackException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a job's Server-Sent Events: messages as lines on stdout, metrics as one progress line on stderr that
 * rewrites itself (step, bar, loss, tokens/s, ETA from the steps seen so far). A broken connection is resumed from
 * the last event id, so nothing is shown twice or missed.
 */
public final class JobFollower {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int RECONNECTS = 5;

    private final TeamApi api;
    private final PrintWriter out;
    private final PrintWriter err;
    private long firstStepAt;
    private int firstStep = -1;
    private boolean barShown;
    private String lastShown;

    public JobFollower(TeamApi api, PrintWriter out, PrintWriter err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    /** Follows until the stream ends with the job; the exit code says how the job ended. */
    public int follow(String jobId) {
        String path = JobsCommand.JOBS + "/" + jobId + "/events?stream=true";
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                TeamApi.StreamEnd end = api.stream(path, lastShown, (id, event) -> {
                    show(event);
                    if (id != null) {
                        lastShown = id;
                    }
                    return true;
                });
                if (end.done()) {
                    break;
                }
                problem = "the stream ended before the job did";
            } catch (TeamApi.ApiException e) {
                throw e;
            } catch (StackException e) {
                problem = e.getMessage();
            }
            if (attempt >= RECONNECTS) {
                throw new StackException("following " + jobId + " failed: " + problem);
            }
            endBar();
            err.println("stream interrupted (" + problem + "); reconnecting");
            err.flush();
        }
        endBar();
        JsonNode job = api.get(JobsCommand.JOBS + "/" + jobId, Map.of());
        out.println(JobsCommand.summary(job));
        out.flush();
        return switch (job.path("status").asText()) {
            case "succeeded" -> 0;
            case "paused" -> 2;
            default -> 1;
        };
    }

    private void show(JsonNode event) {
        if ("metrics".equals(event.path("type").asText())) {
            JsonNode data = event.path("data");
            int step = data.path("step").asInt();
            int total = data.path("total_steps").asInt();
            long now = data.has("ended_at_ms") ? data.path("ended_at_ms").asLong() : event.path("created_at").asLong() * 1000;
            if (firstStep < 0) {
                firstStep = step;
                firstStepAt = now;
            }
            double perStep = step > firstStep ? (now - firstStepAt) / 1000.0 / (step - firstStep) : Double.NaN;
            err.print("\r" + progress(step, total, data.path("train_loss").asDouble(), data.path("tokens_per_second").asDouble(),
                    Double.isNaN(perStep) ? -1 : Math.round(perStep * (total - step))));
            err.flush();
            barShown = true;
            return;
        }
        endBar();
        out.println(line(event));
        out.flush();
    }

    private void endBar() {
        if (barShown) {
            err.println();
            err.flush();
            barShown = false;
        }
    }

    /** {@code step 12/100 [====      ] loss 1.2345  812 tok/s  eta 0:01:05}; an unknown ETA shows as {@code -:--:--}. */
    static String progress(int step, int total, double loss, double tokensPerSecond, long etaSeconds) {
        int width = 24;
        int filled = total <= 0 ? 0 : (int) Math.min(width, Math.round(width * (double) step / total));
        char[] bar = new char[width];
        Arrays.fill(bar, 0, filled, '=');
        Arrays.fill(bar, filled, width, ' ');
        String eta = etaSeconds < 0 ? "-:--:--" : String.format(Locale.ROOT, "%d:%02d:%02d", etaSeconds / 3600,
                etaSeconds / 60 % 60, etaSeconds % 60);
        return String.format(Locale.ROOT, "step %d/%d [%s] loss %.4f  %.0f tok/s  eta %s", step, total, new String(bar), loss,
                tokensPerSecond, eta);
    }

    /** An event as a line: time, level, message. */
    static String line(JsonNode event) {
        return TIME.format(Instant.ofEpochSecond(event.path("created_at").asLong())) + " "
                + String.format("%-5s", event.path("level").asText()) + " " + event.path("message").asText();
    }
}
