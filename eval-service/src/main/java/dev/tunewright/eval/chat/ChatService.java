package dev.tunewright.eval.chat;

import dev.tunewright.common.rest.ApiException;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.model.ModelPool;
import dev.tunewright.eval.model.ModelSession;
import dev.tunewright.eval.repository.FineTunedModel;
import dev.tunewright.eval.repository.FineTunedModelRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * Chat completions for the models a team may use: any base model the deployment allows, and the team's fine-tuned
 * models by their {@code ft:} ids (base and adapter applied without merging, from the shared {@link ModelPool}).
 */
@ApplicationScoped
public class ChatService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ModelPool pool;
    private final FineTunedModelRepository fineTuned;
    private final EvalConfig.Chat config;

    public ChatService(ModelPool pool, FineTunedModelRepository fineTuned, EvalConfig config) {
        this.pool = pool;
        this.fineTuned = fineTuned;
        this.config = config.chat();
    }

    /** What a request's model id stands for: a base folder and, for an ft: id, the adapter artifact. */
    public record Target(Path baseFolder, String adapterArtifactId) {
    }

    /** Receives the text of a streamed completion as it becomes final. */
    public interface Deltas {
        void text(String delta) throws java.io.IOException;
    }

    /** The completion: its text (cut before a stop string), why it ended, and the token counts. */
    public record Completion(String text, String finishReason, int promptTokens, int completionTokens) {
    }

    /**
     * @throws ApiException 404 {@code model_not_found} for an ft: id the team does not have, 400 for a base model
     *                      the deployment does not serve
     */
    public Target resolve(String teamId, String model) throws java.io.IOException {
        if (model.startsWith("ft:")) {
            // its own short transaction: a hub base may be downloaded below, with no connection held meanwhile
            FineTunedModel ft = QuarkusTransaction.requiringNew().call(() -> fineTuned.byId(teamId, model))
                    .orElseThrow(() -> new ApiException(404, "model_not_found", "model",
                            "The model '" + model + "' does not exist or you do not have access to it."));
            return new Target(pool.folder(ft.baseModel, "model"), ft.adapterArtifactId);
        }
        return new Target(pool.folder(model, "model"), null);
    }

    /** Runs the request; {@code deltas} (may be null) receives the text as it is generated. */
    public Completion complete(Target target, ChatRequest request, Deltas deltas) throws Exception {
        return pool.use(target.baseFolder(), target.adapterArtifactId(), session -> {
            int[] prompt;
            try {
                prompt = session.prompt(request.messages());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_value", "messages", e.getMessage());
            }
            int room = session.contextLength() - prompt.length;
            if (room < 1) {
                throw ApiException.badRequest("context_length_exceeded", "messages", "the messages are " + prompt.length
                        + " tokens; this model's context is " + session.contextLength() + " tokens");
            }
            int maxTokens = request.maxTokens() != null ? request.maxTokens() : config.defaultMaxTokens();
            if (request.maxTokens() != null && request.maxTokens() > room) {
                throw ApiException.badRequest("context_length_exceeded", "max_tokens", "the messages are " + prompt.length
                        + " tokens, so at most " + room + " more fit this model's context of " + session.contextLength());
            }
            SamplingParams params = new SamplingParams(Math.min(maxTokens, room), request.temperature(), request.topP(), 0,
                    request.seed() != null ? request.seed() : RANDOM.nextLong(), session.eosIds(), request.stop());
            TextStream stream = deltas == null ? null : new TextStream(session, request.stop(), deltas);
            Generation g = session.generate(List.of(prompt), params, stream == null ? null : (row, token) -> stream.add(token))
                    .get(0);
            String text = session.decode(g.tokenIds());
            if (g.stopString() != null) {
                text = text.substring(0, text.indexOf(g.stopString()));
            }
            if (stream != null) {
                stream.finish(text);
            }
            return new Completion(text, g.finishReason().wireName(), prompt.length, g.tokenIds().length);
        });
    }

    /**
     * Turns tokens into text deltas that are final: nothing is sent that a later token could change (a character
     * still being assembled from byte tokens) or that may turn out to be the start of a stop string.
     */
    static final class TextStream {
        private final ModelSession session;
        private final List<String> stops;
        private final Deltas deltas;
        private final java.util.List<Integer> ids = new java.util.ArrayList<>();
        private int sent;
        private java.io.IOException failure;

        TextStream(ModelSession session, List<String> stops, Deltas deltas) {
            this.session = session;
            this.stops = stops;
            this.deltas = deltas;
        }

        void add(int token) {
            ids.add(token);
            String text = session.decode(ids.stream().mapToInt(Integer::intValue).toArray());
            if (text.endsWith("\uFFFD")) {
                return;
            }
            send(text, safeLength(text, stops));
        }

        void finish(String text) throws java.io.IOException {
            send(text, text.length());
            if (failure != null) {
                throw failure;
            }
        }

        private void send(String text, int upTo) {
            if (failure != null || upTo <= sent) {
                return;
            }
            try {
                deltas.text(text.substring(sent, upTo));
                sent = upTo;
            } catch (java.io.IOException e) {
                // the client went away; generation finishes, nothing more is sent
                failure = e;
            }
        }

        /** Length of {@code text} that cannot become part of a stop string, or that ends before one. */
        static int safeLength(String text, List<String> stops) {
            int safe = text.length();
            for (String stop : stops) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    safe = Math.min(safe, at);
                    continue;
                }
                for (int k = Math.min(stop.length() - 1, text.length()); k > 0; k--) {
                    if (text.endsWith(stop.substring(0, k))) {
                        safe = Math.min(safe, text.length() - k);
                        break;
                    }
                }
            }
            return safe;
        }
    }
}
