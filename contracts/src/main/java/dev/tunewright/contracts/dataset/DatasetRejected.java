package dev.tunewright.contracts.dataset;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;
import java.util.List;

/** An uploaded file failed validation; the full report stays with the dataset service, the event carries a summary. */
public record DatasetRejected(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String fileId,
        int problemCount,
        List<String> firstProblems) implements DatasetEvent {

    public DatasetRejected {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, fileId);
    }

    public static DatasetRejected of(String teamId, String fileId, int problemCount, List<String> firstProblems) {
        return new DatasetRejected(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, fileId, problemCount, List.copyOf(firstProblems));
    }

    @Override
    public String subjectId() {
        return fileId;
    }
}
