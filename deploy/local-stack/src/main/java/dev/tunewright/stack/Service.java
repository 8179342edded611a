package dev.tunewright.stack;

import java.util.Arrays;
import java.util.Optional;

/** The platform's services as the launcher knows them: module folder, default port, and how the gateway finds them. */
public enum Service {

    GATEWAY("gateway", 8080, null),
    DATASET("dataset-service", 8081, "DATASET_SERVICE_URL"),
    TRAINER("trainer-service", 8082, "TRAINER_SERVICE_URL"),
    EVAL("eval-service", 8083, "EVAL_SERVICE_URL"),
    REGISTRY("registry-service", 8084, "REGISTRY_SERVICE_URL");

    private final String id;
    private final int defaultPort;
    private final String urlVariable;

    Service(String id, int defaultPort, String urlVariable) {
        this.id = id;
        this.defaultPort = defaultPort;
        this.urlVariable = urlVariable;
    }

    /** The module folder, the log file name and the name users type. */
    public String id() {
        return id;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The environment variable through which the gateway learns this service's URL; null for the gateway itself. */
    String urlVariable() {
        return urlVariable;
    }

    public static Optional<Service> byId(String id) {
        return Arrays.stream(values()).filter(service -> service.id.equals(id)).findFirst();
    }
}
