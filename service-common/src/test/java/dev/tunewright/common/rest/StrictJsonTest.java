package dev.tunewright.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** What the strict mapper refuses, and the 400 each refusal becomes: the field by its JSON name, or the position. */
class StrictJsonTest {

    record Options(String fileId, Double validationFraction, Long seed, Boolean shuffle, int epochs) {
    }

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    @Test
    void plainValuesBind() throws Exception {
        Options options = mapper.readValue("{\"file_id\":\"f\",\"validation_fraction\":1,\"seed\":7,\"shuffle\":true,"
                + "\"epochs\":3}", Options.class);
        assertThat(options).isEqualTo(new Options("f", 1.0, 7L, true, 3));
        // Union-typed fields of OpenAI's API arrive as numbers where a string is declared.
        assertThat(mapper.readValue("{\"file_id\":12}", Options.class).fileId()).isEqualTo("12");
    }

    @Test
    void stringNumbersFractionalIntegersAndStringBooleansNameTheirField() {
        assertField("{\"seed\":\"7\"}", "seed", "must be an integer");
        assertField("{\"seed\":1.5}", "seed", "must be an integer");
        assertField("{\"epochs\":2.0}", "epochs", "must be an integer");
        assertField("{\"validation_fraction\":\"0.2\"}", "validation_fraction", "must be a number");
        assertField("{\"shuffle\":\"yes\"}", "shuffle", "must be true or false");
        assertField("{\"shuffle\":1}", "shuffle", "must be true or false");
        assertField("{\"seed\":\"\"}", "seed", "must be an integer");
    }

    @Test
    void malformedBodiesSayWhere() {
        Response response = ErrorMappers.invalidJson(refusal("{\n  \"file_id\": \"f\",\n  \"seed\": }"));
        ApiError error = (ApiError) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(error.error().code()).isEqualTo("invalid_json");
        assertThat(error.error().message()).startsWith("request body is not valid JSON").contains("(line 3, column 11)");
    }

    @Test
    void aParseErrorThatQuarkusWrapsStillSaysWhere() {
        Response response = new ErrorMappers.WebApplicationExceptionMapper().toResponse(
                new WebApplicationException(refusal("{\"file_id\": "), Response.Status.BAD_REQUEST));
        ApiError error = (ApiError) response.getEntity();
        assertThat(error.error().code()).isEqualTo("invalid_json");
        assertThat(error.error().message()).contains("line 1, column");
    }

    private void assertField(String json, String field, String message) {
        Response response = ErrorMappers.invalidJson(refusal(json));
        ApiError error = (ApiError) response.getEntity();
        assertThat(response.getStatus()).as(json).isEqualTo(400);
        assertThat(error.error().param()).as(json).isEqualTo(field);
        assertThat(error.error().message()).as(json).startsWith(field + " " + message).contains("line 1, column");
    }

    private JsonProcessingException refusal(String json) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> mapper.readValue(json, Options.class));
        assertThat(thrown).as(json).isInstanceOf(JsonProcessingException.class);
        return (JsonProcessingException) thrown;
    }
}
