package dev.tunewright.trainer.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.regex.Pattern;

/**
 * {@code GET …/events?stream=true} is the live stream whatever the client's {@code Accept} says, as OpenAI's
 * {@code stream} parameter works; the resource method is chosen by media type, so the request is made to ask for
 * {@code text/event-stream}.
 */
@Provider
@PreMatching
public class EventStreamSelector implements ContainerRequestFilter {

    private static final Pattern EVENTS = Pattern.compile("/v1/fine_tuning/jobs/[^/]+/events/?");

    @Override
    public void filter(ContainerRequestContext request) {
        if ("GET".equals(request.getMethod()) && "true".equalsIgnoreCase(request.getUriInfo().getQueryParameters().getFirst("stream"))
                && EVENTS.matcher(request.getUriInfo().getPath()).matches()) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, MediaType.SERVER_SENT_EVENTS);
        }
    }
}
