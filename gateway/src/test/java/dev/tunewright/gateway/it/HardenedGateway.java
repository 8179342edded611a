package dev.tunewright.gateway.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Limits small enough for a test to reach, shared by the packaged-gateway tests so that they run on one gateway
 * process: a body must bring 1 KiB a second; a team may make 8 requests at once and 60 a minute, and have 2 uploads
 * in flight; JSON bodies up to 1 KiB, chat completions up to 2 KiB, uploads left to the service.
 */
public class HardenedGateway implements QuarkusTestProfile {

    static final int BURST = 8;
    static final int UPLOADS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tunewright.gateway.body-window", "1s",
                "tunewright.gateway.min-body-bytes", "1024",
                "tunewright.gateway.admin-token", "test-admin-token",
                "tunewright.gateway.limits.requests-per-minute", "60",
                "tunewright.gateway.limits.request-burst", String.valueOf(BURST),
                "tunewright.gateway.limits.concurrent-uploads", String.valueOf(UPLOADS),
                "tunewright.gateway.limits.max-body", "1K",
                "tunewright.gateway.limits.body-limits", "/v1/files=none,/v1/chat/completions=2K");
    }
}
