package dev.tunewright.deploy;

import static dev.tunewright.deploy.Manifests.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard queries only metrics named in monitoring/dashboard-metrics.txt, and that list is true: what
 * it calls registered is registered by the service's code, and what it calls assumed is not (yet).
 */
class DashboardTest {

    private static final Path MONITORING = REPO.resolve("deploy/k8s/monitoring");
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "rate", "increase", "histogram_quantile", "count",
            "avg", "max", "min", "by", "without", "and", "or", "unless", "on", "ignoring", "group_left", "group_right");

    private record Metric(String prometheusName, String micrometerName, String service, String status) {
    }

    private static Map<String, Metric> metrics() throws IOException {
        Map<String, Metric> metrics = new LinkedHashMap<>();
        for (String line : Files.readAllLines(MONITORING.resolve("dashboard-metrics.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            assertThat(parts).as("dashboard-metrics.txt line: " + line).hasSize(4);
            assertThat(parts[3]).isIn("registered", "assumed", "external");
            metrics.put(parts[0], new Metric(parts[0], parts[1], parts[2], parts[3]));
        }
        return metrics;
    }

    @Test
    void everyQueriedMetricIsListed() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("tunewright-dashboard.json").toFile());
        assertThat(dashboard.path("panels")).isNotEmpty();
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                queried.addAll(metricNames(target.path("expr").asText()));
            }
        }
        assertThat(metrics().keySet()).containsAll(queried);
        assertThat(queried).as("dashboard panels").contains("tunewright_jobs", "tunewright_queue_depth",
                "tunewright_train_tokens_total", "tunewright_evaluations_completed_total", "kube_job_status_active");
    }

    @Test
    void theListSaysTrulyWhichMetricsTheServicesRegister() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Metric metric : metrics().values()) {
            if (metric.status().equals("external")) {
                continue;
            }
            boolean registered = sourcesMention(metric.service(), "\"" + metric.micrometerName() + "\"");
            if (metric.status().equals("registered") && !registered) {
                problems.add(metric.prometheusName() + ": " + metric.service() + " does not register "
                        + metric.micrometerName());
            } else if (metric.status().equals("assumed") && registered) {
                problems.add(metric.prometheusName() + ": " + metric.service() + " registers " + metric.micrometerName()
                        + " now; mark it registered in dashboard-metrics.txt");
            }
        }
        assertThat(problems).isEmpty();
    }

    static Set<String> metricNames(String expr) {
        String stripped = expr.replaceAll("\"[^\"]*\"", "").replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
                .replaceAll("(by|without)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(stripped);
        while (matcher.find()) {
            if (!PROMQL_WORDS.contains(matcher.group())) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private static boolean sourcesMention(String service, String literal) throws IOException {
        Path sources = REPO.resolve(service).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains(literal)) {
                    return true;
                }
            }
        }
        return false;
    }
}
