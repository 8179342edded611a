package dev.tunewright.gateway.service;

import dev.tunewright.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Checks the admin bearer token. Without a configured token the admin API is off, so a deployment that forgot to
 * set one is closed rather than open. Tokens are compared as SHA-256 digests in constant time.
 */
@ApplicationScoped
public class AdminTokens {

    public enum Verdict { ACCEPTED, DISABLED, REJECTED }

    private final Optional<byte[]> expected;

    public AdminTokens(GatewayConfig config) {
        this.expected = config.adminToken().filter(t -> !t.isBlank()).map(AdminTokens::digest);
    }

    public Verdict check(String authorizationHeader) {
        if (expected.isEmpty()) {
            return Verdict.DISABLED;
        }
        String token = ApiKeys.fromAuthorization(authorizationHeader);
        return token != null && MessageDigest.isEqual(expected.get(), digest(token))
                ? Verdict.ACCEPTED : Verdict.REJECTED;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
