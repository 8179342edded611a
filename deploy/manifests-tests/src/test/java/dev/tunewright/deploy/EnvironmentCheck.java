package dev.tunewright.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's environment in deploy/ against what its configuration reads ({@link ServiceConfig}): every variable
 * set must be read (no typo, no leftover), and every variable the service needs must be set, so that a key added to
 * a service without a default fails here until deploy/ wires it. The few exceptions are in
 * {@code environment-rules.txt}, each with its reason.
 */
final class EnvironmentCheck {

    private record Rule(String kind, String service, String variable, String reason) {
    }

    private static final List<Rule> RULES = rules();
    private static final Map<String, ServiceConfig> CONFIGS = new HashMap<>();

    private EnvironmentCheck() {
    }

    static synchronized ServiceConfig config(String service) throws IOException {
        ServiceConfig config = CONFIGS.get(service);
        if (config == null) {
            config = ServiceConfig.of(service);
            CONFIGS.put(service, config);
        }
        return config;
    }

    /** Problems of one container's (or compose service's) environment; {@code where} names it in messages. */
    static List<String> problems(String where, String service, Set<String> variables) throws IOException {
        ServiceConfig config = config(service);
        List<String> problems = new ArrayList<>();
        for (String variable : variables) {
            boolean pending = has("pending", service, variable);
            if (config.reads(variable)) {
                if (pending) {
                    problems.add(where + ": " + service + " now reads " + variable
                            + "; remove its 'pending' line from environment-rules.txt");
                }
            } else if (!pending && !has("platform", service, variable)) {
                problems.add(where + ": " + variable + " is set but " + service + " reads no such setting");
            }
        }
        for (String required : config.requiredVariables()) {
            // an empty default (${X:}) of an Optional key counts as needed unless a 'default' rule says why it is not
            if (!variables.contains(required) && !has("default", service, required)) {
                problems.add(where + ": " + service + " needs " + required + " (no default), which is not set");
            }
        }
        for (ServiceConfig.Placeholder placeholder : config.placeholders.values()) {
            if (!variables.contains(placeholder.variable()) && !has("default", service, placeholder.variable())) {
                problems.add(where + ": " + placeholder.variable() + " (" + placeholder.file()
                        + ") is not set; set it, or give the reason to keep its default in environment-rules.txt");
            }
        }
        return problems;
    }

    private static boolean has(String kind, String service, String variable) {
        return RULES.stream().anyMatch(rule -> rule.kind().equals(kind) && rule.variable().equals(variable)
                && (rule.service().equals("*") || rule.service().equals(service)));
    }

    private static List<Rule> rules() {
        try (InputStream in = EnvironmentCheck.class.getResourceAsStream("/environment-rules.txt")) {
            List<Rule> rules = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+", 4);
                if (parts.length < 4 || !Set.of("default", "pending", "platform").contains(parts[0])) {
                    throw new IllegalStateException("environment-rules.txt: malformed line: " + line);
                }
                rules.add(new Rule(parts[0], parts[1], parts[2], parts[3]));
            }
            return rules;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
