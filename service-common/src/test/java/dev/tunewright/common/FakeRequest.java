package dev.tunewright.common;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** A request and response context with just what the filters use, built on dynamic proxies. */
public final class FakeRequest {

    public final String method;
    public final URI uri;
    public final Map<String, String> headers = new HashMap<>();
    public final Map<String, Object> properties = new HashMap<>();
    public final MultivaluedMap<String, Object> responseHeaders = new MultivaluedHashMap<>();
    public Response aborted;

    public FakeRequest(String method, String uri) {
        this.method = method;
        this.uri = URI.create("http://localhost:8080" + uri);
    }

    public FakeRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public ContainerRequestContext request() {
        UriInfo uriInfo = proxy(UriInfo.class, (name, args) -> switch (name) {
            case "getRequestUri" -> uri;
            case "getPath" -> uri.getPath().substring(1);
            default -> throw new UnsupportedOperationException(name);
        });
        return proxy(ContainerRequestContext.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getUriInfo" -> uriInfo;
            case "getHeaderString" -> headers.get((String) args[0]);
            case "getProperty" -> properties.get((String) args[0]);
            case "setProperty" -> properties.put((String) args[0], args[1]);
            case "abortWith" -> aborted = (Response) args[0];
            default -> throw new UnsupportedOperationException(name);
        });
    }

    public ContainerResponseContext response() {
        return proxy(ContainerResponseContext.class, (name, args) -> switch (name) {
            case "getHeaders" -> responseHeaders;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FakeRequest.class.getClassLoader(), new Class<?>[] {type},
                (self, m, args) -> answer.answer(m.getName(), args)));
    }
}
