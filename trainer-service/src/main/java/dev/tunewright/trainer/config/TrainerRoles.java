package dev.tunewright.trainer.config;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The roles of this instance, for filters: Quarkus REST creates providers during static init, before configuration
 * mappings exist, so they reach the configuration through this normal-scoped bean.
 */
@ApplicationScoped
public class TrainerRoles {

    private final TrainerConfig config;

    public TrainerRoles(TrainerConfig config) {
        this.config = config;
    }

    public boolean api() {
        return config.roles().contains(TrainerConfig.Role.API);
    }

    public boolean worker() {
        return config.roles().contains(TrainerConfig.Role.WORKER);
    }
}
