package dev.tunewright.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serialisesInOpenAiShapeWithExplicitNullParam() throws Exception {
        ApiError error = ApiException.notFound("file", "f-1").toError();

        JsonNode viaJackson = json.readTree(json.writeValueAsString(error));
        JsonNode handWritten = json.readTree(error.toJson());

        assertThat(viaJackson).isEqualTo(handWritten);
        assertThat(viaJackson.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(viaJackson.path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(viaJackson.path("error").has("param")).isTrue();
        assertThat(viaJackson.path("error").path("param").isNull()).isTrue();
    }

    @Test
    void handWrittenJsonEscapes() throws Exception {
        ApiError error = ApiError.of("server_error", "x", "p\"q", "line\nbreak \\ \u0001 \"quoted\"");
        JsonNode parsed = json.readTree(error.toJson());
        assertThat(parsed.path("error").path("message").asText()).isEqualTo("line\nbreak \\ \u0001 \"quoted\"");
        assertThat(parsed.path("error").path("param").asText()).isEqualTo("p\"q");
    }

    @Test
    void typeFollowsStatus() {
        assertThat(ApiError.typeFor(400)).isEqualTo("invalid_request_error");
        assertThat(ApiError.typeFor(401)).isEqualTo("authentication_error");
        assertThat(ApiError.typeFor(403)).isEqualTo("permission_error");
        assertThat(ApiError.typeFor(413)).isEqualTo("invalid_request_error");
        assertThat(ApiError.typeFor(502)).isEqualTo("server_error");
    }
}
