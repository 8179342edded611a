package dev.tunewright.contracts.adapter;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tunewright.contracts.Event;

/** Events of {@link dev.tunewright.contracts.Topics#ADAPTERS}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = AdapterRegistered.class, name = "adapter.registered"),
        @JsonSubTypes.Type(value = AdapterPromoted.class, name = "adapter.promoted")
})
public sealed interface AdapterEvent extends Event permits AdapterRegistered, AdapterPromoted {
}
