package dev.tunewright.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one table `stack up`, `stack status` and `quickstart` print, so users learn a single layout. */
public final class StatusTable {

    public static final String SWAGGER_PATH = "/q/swagger-ui";

    private StatusTable() {
    }

    /** @param health service name to health text; a missing entry shows as unknown */
    public static String render(StackState state, Map<String, String> health) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "URL", "HEALTH", "RESTARTS", "SWAGGER UI"});
        for (StackState.ServiceEntry service : state.services()) {
            rows.add(new String[] {service.name(), service.url(), health.getOrDefault(service.name(), "unknown"),
                    service.restartCount() + (service.lastExit() == null ? "" : " (last: " + service.lastExit() + ")"),
                    service.url() + SWAGGER_PATH});
        }
        int[] widths = new int[5];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                text.append(i == row.length - 1 ? row[i] : pad(row[i], widths[i] + 2));
            }
            text.append('\n');
        }
        text.append('\n')
                .append(pad("Kafka", 12)).append(state.kafkaBootstrapServers()).append('\n')
                .append(pad("PostgreSQL", 12)).append(state.postgresJdbcUrl())
                .append(" (user ").append(LocalPostgres.USER).append(")\n")
                .append(pad("State dir", 12)).append(state.stateDir()).append('\n');
        return text.toString();
    }

    private static String pad(String value, int width) {
        return value.length() >= width ? value : value + " ".repeat(width - value.length());
    }
}
