package dev.tunewright.registry.messaging;

import dev.tunewright.contracts.evaluation.EvaluationEvent;
import dev.tunewright.registry.service.EvaluationService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes the evaluator's events: each final evaluation becomes the verdict of its job's adapter version. */
@ApplicationScoped
public class EvaluationEventsConsumer {

    private final EvaluationService evaluations;

    public EvaluationEventsConsumer(EvaluationService evaluations) {
        this.evaluations = evaluations;
    }

    @Incoming(RegistryChannels.EVALUATION_EVENTS)
    @Blocking
    public void consume(String payload) {
        EventReader.read(payload, EvaluationEvent.class).ifPresent(evaluations::record);
    }
}
