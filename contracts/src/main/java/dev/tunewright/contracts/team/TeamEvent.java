package dev.tunewright.contracts.team;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tunewright.contracts.Event;

/** Events of {@link dev.tunewright.contracts.Topics#TEAMS}, keyed by team id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TeamCreated.class, name = "team.created")
})
public sealed interface TeamEvent extends Event permits TeamCreated {
}
