package dev.tunewright.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the {@value #HEADER} header that carries the caller's team from the gateway to a service.
 *
 * <p>Format: {@code v2.<teamId>.<base64url(teamName)>.<epochSeconds>.<base64url(hmac)>}, no padding. The HMAC-SHA256
 * covers the version, team id, encoded team name, issue time, HTTP method, raw request path and raw query string, one
 * per line, so a captured header is useless for another request (endpoint, method or query) and after
 * {@code maxAge}. Version 1 signed neither the query nor anything but the path and is refused. Services only listen
 * on the internal network; the signature is what stops a process that can reach them from choosing a team.
 *
 * <p>A request's <em>target</em> is its raw path, followed by {@code ?} and its raw query when it has one
 * ({@link #target}); gateway and services build it the same way from what Vert.x parsed.
 *
 * <p>Plain Java and thread-safe, so it is unit-tested without a container and shared by gateway and services.
 */
public final class IdentitySigner {

    public static final String HEADER = "X-Tunewright-Identity";
    public static final String VERSION = "v2";

    private static final String ALGORITHM = "HmacSHA256";
    /** Tolerated clock difference between gateway and service for headers that appear to come from the future. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration maxAge;
    private final Clock clock;

    public IdentitySigner(String secret, Duration maxAge, Clock clock) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("identity secret must not be blank");
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("identity max age must be positive");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public IdentitySigner(String secret, Duration maxAge) {
        this(secret, maxAge, Clock.systemUTC());
    }

    /** The target a header is signed for: the raw path, then {@code ?} and the raw query when there is one. */
    public static String target(String rawPath, String rawQuery) {
        return rawQuery == null || rawQuery.isEmpty() ? rawPath : rawPath + "?" + rawQuery;
    }

    /** Header value for a request the gateway forwards now; see {@link #target}. */
    public String sign(TeamIdentity team, String method, String target) {
        return sign(team, method, target, clock.instant());
    }

    public String sign(TeamIdentity team, String method, String target, Instant issuedAt) {
        String encodedName = B64.encodeToString(team.teamName().getBytes(StandardCharsets.UTF_8));
        long seconds = issuedAt.getEpochSecond();
        String signature = B64.encodeToString(mac(team.teamId(), encodedName, seconds, method, target));
        return String.join(".", VERSION, team.teamId(), encodedName, Long.toString(seconds), signature);
    }

    /**
     * Checks a header received on {@code method target}; returns the team it names or says why it is refused.
     * The signature is compared in constant time before the age is looked at, so timing reveals nothing.
     */
    public TeamIdentity verify(String header, String method, String target) {
        if (header == null || header.isBlank()) {
            throw new IdentityRejectedException(IdentityRejectedException.Reason.MISSING);
        }
        String[] parts = header.trim().split("\\.", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            throw malformed();
        }
        long seconds;
        byte[] presented;
        String teamName;
        try {
            seconds = Long.parseLong(parts[3]);
            presented = B64D.decode(parts[4]);
            teamName = new String(B64D.decode(parts[2]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        if (parts[1].isEmpty() || parts[1].indexOf('\n') >= 0) {
            throw malformed();
        }
        byte[] expected = mac(parts[1], parts[2], seconds, method, target);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new IdentityRejectedException(IdentityRejectedException.Reason.BAD_SIGNATURE);
        }
        Instant issuedAt = Instant.ofEpochSecond(seconds);
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new IdentityRejectedException(IdentityRejectedException.Reason.NOT_YET_VALID);
        }
        if (issuedAt.plus(maxAge).isBefore(now)) {
            throw new IdentityRejectedException(IdentityRejectedException.Reason.EXPIRED);
        }
        try {
            return new TeamIdentity(parts[1], teamName);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private byte[] mac(String teamId, String encodedName, long seconds, String method, String target) {
        String request = target == null || target.isEmpty() ? "/" : target;
        int query = request.indexOf('?');
        String material = String.join("\n", VERSION, teamId, encodedName, Long.toString(seconds),
                method.toUpperCase(Locale.ROOT), query < 0 ? request : request.substring(0, query),
                query < 0 ? "" : request.substring(query + 1));
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(material.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static IdentityRejectedException malformed() {
        return new IdentityRejectedException(IdentityRejectedException.Reason.MALFORMED);
    }
}
