package dev.tunewright.eval.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.eval.config.EvalConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.PropertiesConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A POST /v1/evaluations body: defaults, strict fields, errors that name their field, the key kept apart. */
class EvaluationRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final EvalConfig CONFIG = new SmallRyeConfigBuilder().withMapping(EvalConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(Map.of("tunewright.eval.reference.allowed-urls", "http://127.0.0.1,https://api.example.com"),
                    "test", 100))
            .build().getConfigMapping(EvalConfig.class);

    @Test
    void defaultsAndAReferenceWhoseKeyStaysOutOfTheOptions() throws Exception {
        EvaluationRequest r = EvaluationRequest.parse(JSON.readTree("""
                {"job_id": "ftjob-1", "task_type": "classification", "margin": 0.05,
                 "reference": {"base_url": "https://api.example.com/v1/", "model": "big", "api_key": "sk-secret"},
                 "prices": {"device_hour": 2.5}}"""), CONFIG);
        assertThat(r.jobId()).isEqualTo("ftjob-1");
        assertThat(r.split()).isEqualTo("validation");
        assertThat(r.options().taskType()).isEqualTo("classification");
        assertThat(r.options().margin()).isEqualTo(0.05);
        assertThat(r.options().reference()).isEqualTo(new EvaluationOptions.Reference("https://api.example.com/v1", "big"));
        assertThat(r.options().prices().deviceHour()).isEqualTo(2.5);
        assertThat(r.options().prices().referenceOutputPerMillion()).isEqualTo(0.60);
        assertThat(r.apiKey()).isEqualTo("sk-secret");
        assertThat(r.toString()).doesNotContain("sk-secret");
        assertThat(EvaluationService.write(r.options())).doesNotContain("sk-secret");
    }

    @Test
    void refusalsNameTheirField() {
        assertThat(param("{\"job_id\": \"j\", \"adapter\": \"ft:x\"}")).isEqualTo("adapter");
        assertThat(param("{}")).isEqualTo("job_id");
        assertThat(param("{\"job_id\": \"j\", \"marging\": 0.1}")).isEqualTo("marging");
        assertThat(param("{\"job_id\": \"j\", \"split\": \"test\"}")).isEqualTo("split");
        assertThat(param("{\"job_id\": \"j\", \"task_type\": \"regression\"}")).isEqualTo("task_type");
        assertThat(param("{\"job_id\": \"j\", \"reference\": {\"base_url\": \"http://10.0.0.1/v1\", \"model\": \"m\"}}"))
                .isEqualTo("reference.base_url");
        assertThat(param("{\"job_id\": \"j\", \"reference\": {\"base_url\": \"https://api.example.com/v1\"}}"))
                .isEqualTo("reference.model");
        assertThat(param("{\"job_id\": \"j\", \"judge\": true}")).isEqualTo("judge");
        assertThat(param("{\"job_id\": \"j\", \"prices\": {\"device_hour\": -1}}")).isEqualTo("prices.device_hour");
    }

    private static String param(String body) {
        try {
            EvaluationRequest.parse(JSON.readTree(body), CONFIG);
        } catch (ApiException e) {
            return e.param();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + body);
    }
}
