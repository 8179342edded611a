package dev.tunewright.trainer.service;

import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A job's status with OpenAI's names, plus our {@code paused}. The moves the API may make are listed here, so the
 * resource answers 409 for any other; workers move jobs between {@code queued}, {@code running} and the ends.
 *
 * <pre>
 * validating_files -> queued (dataset known) | failed | cancelled
 * queued  -> running (claimed) | paused | cancelled
 * running -> succeeded | failed | cancelled | paused | queued (worker shut down, job handed back)
 * paused  -> queued (resume) | cancelled
 * </pre>
 */
public enum JobStatus {
    VALIDATING_FILES, QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    private static final Set<JobStatus> ENDED = EnumSet.of(SUCCEEDED, FAILED, CANCELLED);

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static JobStatus of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName().equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job status '" + wireName + "'"));
    }

    public boolean ended() {
        return ENDED.contains(this);
    }

    /** Whether a team may cancel a job in this status. */
    public boolean cancellable() {
        return !ended();
    }

    /** Whether a team may pause a job in this status (a job must have been accepted into the queue). */
    public boolean pausable() {
        return this == QUEUED || this == RUNNING;
    }

    /** Whether a team may resume a job in this status. */
    public boolean resumable() {
        return this == PAUSED;
    }

    /** Stores the wire name, which the table's check constraint lists. */
    @Converter
    public static class Column implements AttributeConverter<JobStatus, String> {
        @Override
        public String convertToDatabaseColumn(JobStatus status) {
            return status == null ? null : status.wireName();
        }

        @Override
        public JobStatus convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
