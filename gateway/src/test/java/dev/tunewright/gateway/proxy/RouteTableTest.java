package dev.tunewright.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteTable table(Object... nameUrlPrefixes) {
        Map<String, Map.Entry<String, List<String>>> routes = new LinkedHashMap<>();
        for (int i = 0; i < nameUrlPrefixes.length; i += 3) {
            @SuppressWarnings("unchecked")
            List<String> prefixes = (List<String>) nameUrlPrefixes[i + 2];
            routes.put((String) nameUrlPrefixes[i], Map.entry((String) nameUrlPrefixes[i + 1], prefixes));
        }
        return RouteTable.of(routes);
    }

    private final RouteTable defaults = table(
            "dataset", "http://127.0.0.1:8081", List.of("/v1/files", "/v1/datasets"),
            "trainer", "http://127.0.0.1:8082/", List.of("/v1/fine_tuning/"),
            "registry", "https://registry.internal", List.of("/v1/registry", "/v1/adapters", "/v1/models"),
            "special", "http://10.0.0.9:9000", List.of("/v1/files/special"));

    @Test
    void matchesWholeSegmentsOnly() {
        assertThat(defaults.match("/v1/files")).get().extracting(RouteTable.Backend::name).isEqualTo("dataset");
        assertThat(defaults.match("/v1/files/file-1/content")).get().extracting(RouteTable.Backend::name)
                .isEqualTo("dataset");
        assertThat(defaults.match("/v1/fine_tuning/jobs/j1/events")).get().extracting(RouteTable.Backend::name)
                .isEqualTo("trainer");
        assertThat(defaults.match("/v1/filesystem")).isEmpty();
        assertThat(defaults.match("/v1/fine_tuningx")).isEmpty();
        assertThat(defaults.match("/v1")).isEmpty();
        assertThat(defaults.match("/v2/files")).isEmpty();
    }

    @Test
    void longestPrefixWins() {
        assertThat(defaults.match("/v1/files/special/x")).get().extracting(RouteTable.Backend::name)
                .isEqualTo("special");
        assertThat(defaults.match("/v1/files/specialty")).get().extracting(RouteTable.Backend::name)
                .isEqualTo("dataset");
    }

    @Test
    void parsesBackendAddresses() {
        RouteTable.Backend dataset = defaults.match("/v1/files").orElseThrow();
        assertThat(dataset).isEqualTo(new RouteTable.Backend("dataset", "127.0.0.1", 8081, false));
        assertThat(defaults.match("/v1/models").orElseThrow())
                .isEqualTo(new RouteTable.Backend("registry", "registry.internal", 443, true));
        assertThat(defaults.backends()).hasSize(4);
    }

    @Test
    void refusesBadTables() {
        assertThatThrownBy(() -> table("a", "http://h:1", List.of("/v1/x"), "b", "http://h:2", List.of("/v1/x/")))
                .hasMessageContaining("claimed by both");
        assertThatThrownBy(() -> table("a", "ftp://h:1", List.of("/v1/x"))).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> table("a", "http://h:1/base", List.of("/v1/x"))).hasMessageContaining("path");
        assertThatThrownBy(() -> table("a", "http://h:1", List.of("v1/x"))).hasMessageContaining("invalid prefix");
        assertThatThrownBy(() -> table("a", "http://h:1", List.of("/"))).hasMessageContaining("invalid prefix");
    }
}
