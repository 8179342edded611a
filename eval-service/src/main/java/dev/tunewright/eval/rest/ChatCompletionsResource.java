package dev.tunewright.eval.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.chat.ChatRequest;
import dev.tunewright.eval.chat.ChatService;
import dev.tunewright.eval.config.EvalConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * OpenAI's {@code POST /v1/chat/completions}: a JSON completion, or with {@code stream: true} Server-Sent Events of
 * {@code chat.completion.chunk}s ending in {@code data: [DONE]}. Everything that can be refused is checked before
 * the first byte of a stream is sent, so errors keep OpenAI's error shape and status.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    private static final Logger LOG = Logger.getLogger(ChatCompletionsResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String FINGERPRINT = "tunewright-eval-v1";

    private final ChatService chat;
    private final CallerTeam caller;
    private final EvalConfig config;

    public ChatCompletionsResource(ChatService chat, CallerTeam caller, EvalConfig config) {
        this.chat = chat;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(JsonNode body) throws Exception {
        ChatRequest request = ChatRequest.parse(body, config.chat());
        ChatService.Target target = chat.resolve(caller.teamId(), request.model());
        String id = "chatcmpl-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + Long.toUnsignedString(RANDOM.nextLong(), 36);
        long created = Instant.now().getEpochSecond();
        if (!request.stream()) {
            ChatService.Completion c = chat.complete(target, request, null);
            ObjectNode out = envelope(id, "chat.completion", created, request.model());
            ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", c.text()).putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason());
            usage(out, c);
            return Response.ok(JSON.writeValueAsString(out), MediaType.APPLICATION_JSON_TYPE).build();
        }
        StreamingOutput events = output -> stream(output, target, request, id, created);
        return Response.ok(events, "text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build();
    }

    private void stream(OutputStream output, ChatService.Target target, ChatRequest request, String id, long created)
            throws IOException {
        send(output, chunk(id, created, request, delta -> delta.put("role", "assistant").put("content", ""), null));
        try {
            ChatService.Completion c = chat.complete(target, request,
                    text -> send(output, chunk(id, created, request, delta -> delta.put("content", text), null)));
            send(output, chunk(id, created, request, delta -> { }, c.finishReason()));
            if (request.includeUsage()) {
                ObjectNode last = envelope(id, "chat.completion.chunk", created, request.model());
                last.putArray("choices");
                usage(last, c);
                send(output, last);
            }
        } catch (ApiException e) {
            send(output, JSON.valueToTree(e.toError()));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            LOG.error("streamed completion failed", e);
            send(output, JSON.valueToTree(ApiError.of("server_error", "internal_error", null, "the completion failed")));
        }
        output.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    private static ObjectNode chunk(String id, long created, ChatRequest request,
            java.util.function.Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode out = envelope(id, "chat.completion.chunk", created, request.model());
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        delta.accept(choice.putObject("delta"));
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (request.includeUsage()) {
            out.putNull("usage");
        }
        return out;
    }

    private static ObjectNode envelope(String id, String object, long created, String model) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id).put("object", object).put("created", created).put("model", model)
                .put("system_fingerprint", FINGERPRINT);
        return out;
    }

    private static void usage(ObjectNode out, ChatService.Completion c) {
        out.putObject("usage").put("prompt_tokens", c.promptTokens()).put("completion_tokens", c.completionTokens())
                .put("total_tokens", c.promptTokens() + c.completionTokens());
    }

    private static void send(OutputStream output, JsonNode event) throws IOException {
        output.write(("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        output.flush();
    }
}
