package dev.tunewright.contracts.evaluation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tunewright.contracts.Event;

/** Events of {@link dev.tunewright.contracts.Topics#EVALUATIONS}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = EvaluationCompleted.class, name = "evaluation.completed"),
        @JsonSubTypes.Type(value = EvaluationFailed.class, name = "evaluation.failed")
})
public sealed interface EvaluationEvent extends Event permits EvaluationCompleted, EvaluationFailed {
}
