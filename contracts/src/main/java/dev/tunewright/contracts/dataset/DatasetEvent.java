package dev.tunewright.contracts.dataset;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tunewright.contracts.Event;

/** Events of {@link dev.tunewright.contracts.Topics#DATASETS}; the type property tells them apart on the wire. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DatasetIngested.class, name = "dataset.ingested"),
        @JsonSubTypes.Type(value = DatasetRejected.class, name = "dataset.rejected")
})
public sealed interface DatasetEvent extends Event permits DatasetIngested, DatasetRejected {
}
