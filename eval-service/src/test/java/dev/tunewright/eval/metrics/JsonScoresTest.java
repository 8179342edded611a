package dev.tunewright.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structured-output scores against values worked out by hand. */
class JsonScoresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fieldScoresCompareLeavesByPathAndCanonicalValue() {
        String reference = "{\"name\": \"Ada\", \"age\": 36, \"tags\": [\"x\", \"y\"]}";
        String output = "```json\n{\"age\": 36.0, \"name\": \"Ada\", \"tags\": [\"x\", \"z\"], \"extra\": 1}\n```";
        JsonScores s = JsonScores.of(reference, output, null);
        // leaves: reference 4 (name, age, tags[0], tags[1]); output 5; equal: age, name, tags[0]
        assertThat(s.valid()).isEqualTo(1);
        assertThat(s.exactMatch()).isZero();
        assertThat(s.precision()).isCloseTo(3.0 / 5, within(1e-12));
        assertThat(s.recall()).isCloseTo(3.0 / 4, within(1e-12));
        assertThat(s.f1()).isCloseTo(2 * 0.6 * 0.75 / 1.35, within(1e-12));
        assertThat(s.schemaValid()).isNull();
    }

    @Test
    void exactMatchIgnoresKeyOrderWhitespaceAndNumberSpelling() {
        JsonScores s = JsonScores.of("{\"b\": 1.0, \"a\": [1, 2]}", "{\"a\":[1,2],\"b\":1}", null);
        assertThat(s.exactMatch()).isEqualTo(1);
        assertThat(s.f1()).isEqualTo(1.0);
        JsonScores invalid = JsonScores.of("{\"a\": 1}", "{\"a\": 1", null);
        assertThat(invalid.valid()).isZero();
        assertThat(invalid.f1()).isZero();
    }

    @Test
    void schemaConformanceAndAggregates() throws Exception {
        var schema = JsonSchemas.compile(JSON.readTree(
                "{\"type\": \"object\", \"required\": [\"a\"], \"properties\": {\"a\": {\"type\": \"integer\"}}}"));
        TaskScores s = TaskScores.of(TaskType.STRUCTURED, List.of("{\"a\": 1}", "{\"a\": 2}", "{\"a\": 3}"),
                List.of("{\"a\": 1}", "{\"a\": \"two\"}", "not json"), schema);
        assertThat(s.metrics().get("json_validity")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(s.metrics().get("exact_match")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.metrics().get("schema_conformance")).isCloseTo(1.0 / 3, within(1e-12));
        // micro: 1 matched of 2 output leaves and of 3 reference leaves
        assertThat(s.metrics().get("field_precision")).isEqualTo(0.5);
        assertThat(s.metrics().get("field_recall")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(s.metrics().get("field_f1")).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void aSchemaThatPointsOutsideItselfIsRefused() throws Exception {
        assertThatThrownBy(() -> JsonSchemas.compile(JSON.readTree("{\"$ref\": \"http://169.254.169.254/schema\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only references inside the schema");
    }
}
