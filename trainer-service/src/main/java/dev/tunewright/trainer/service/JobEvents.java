package dev.tunewright.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.trainer.repository.JobEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Writes a job's events (OpenAI's {@code fine_tuning.job.event}) in the caller's transaction. */
@ApplicationScoped
public class JobEvents {

    public static final String INFO = "info";
    public static final String WARN = "warn";
    public static final String ERROR = "error";

    private final JobEventRepository events;
    private final ObjectMapper json;

    public JobEvents(JobEventRepository events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void message(String jobId, String level, String message) {
        events.append(jobId, now(), level, "message", message, null, null);
    }

    /** A message with structured data (the data report, a checkpoint). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void message(String jobId, String level, String message, Map<String, Object> data) {
        events.append(jobId, now(), level, "message", message, write(data), null);
    }

    /**
     * The metrics of one step, dated when the step ended; skipped when the step has them already (a resumed run
     * repeats steps).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean metrics(String jobId, int step, Instant endedAt, String message, Map<String, Object> data) {
        return events.append(jobId, endedAt, INFO, "metrics", message, write(data), step);
    }

    private String write(Map<String, Object> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event data", e);
        }
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
