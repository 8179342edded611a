package dev.tunewright.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.identity.IdentityRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class IdentitySignerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final TeamIdentity ACME = new TeamIdentity("7b0c6a8e-1f7e-4a59-9d7e-0a3c0f1e2d3c", "acme");

    private final IdentitySigner signer = signerAt(NOW, "s3cret-shared-by-gateway");

    private static IdentitySigner signerAt(Instant now, String secret) {
        return new IdentitySigner(secret, Duration.ofSeconds(30), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void roundTripsTeamForSameMethodAndPath() {
        String header = signer.sign(ACME, "POST", "/v1/files");

        assertThat(header).startsWith("v2." + ACME.teamId() + ".").matches("v2\\.[^.]+\\.[^.]+\\.\\d+\\.[^.]+");
        assertThat(signer.verify(header, "POST", "/v1/files")).isEqualTo(ACME);
        assertThat(signer.verify(header, "post", "/v1/files")).isEqualTo(ACME);
    }

    @Test
    void carriesNamesThatAreNotPlainAscii() {
        TeamIdentity team = new TeamIdentity("t1", "Équipe.Ünïcode with dots");
        assertThat(signer.verify(signer.sign(team, "GET", "/v1/me"), "GET", "/v1/me")).isEqualTo(team);
    }

    @Test
    void rejectsAnotherPathOrMethod() {
        String header = signer.sign(ACME, "GET", "/v1/files/file-1");

        assertReason(() -> signer.verify(header, "GET", "/v1/files/file-2"), Reason.BAD_SIGNATURE);
        assertReason(() -> signer.verify(header, "DELETE", "/v1/files/file-1"), Reason.BAD_SIGNATURE);
    }

    @Test
    void signsTheQueryToo() {
        String header = signer.sign(ACME, "GET", "/v1/files?limit=3&after=file-1");

        assertThat(signer.verify(header, "GET", IdentitySigner.target("/v1/files", "limit=3&after=file-1"))).isEqualTo(ACME);
        for (String other : new String[] {"/v1/files", "/v1/files?limit=100&after=file-1", "/v1/files?after=file-1&limit=3",
                "/v1/files?limit=3"}) {
            assertReason(() -> signer.verify(header, "GET", other), Reason.BAD_SIGNATURE);
        }
        String withoutQuery = signer.sign(ACME, "GET", "/v1/files");
        assertReason(() -> signer.verify(withoutQuery, "GET", "/v1/files?limit=1"), Reason.BAD_SIGNATURE);
        assertThat(IdentitySigner.target("/v1/files", null)).isEqualTo("/v1/files");
        assertThat(IdentitySigner.target("/v1/files", "")).isEqualTo("/v1/files");
    }

    /** Version 1 signed the path only; a header in that format, even correctly signed, is not accepted any more. */
    @Test
    void refusesTheFirstVersionOfTheHeader() throws Exception {
        String encodedName = Base64.getUrlEncoder().withoutPadding().encodeToString("acme".getBytes(StandardCharsets.UTF_8));
        long seconds = NOW.getEpochSecond();
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret-shared-by-gateway".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] v1 = mac.doFinal(String.join("\n", "v1", ACME.teamId(), encodedName, Long.toString(seconds), "GET", "/v1/me")
                .getBytes(StandardCharsets.UTF_8));
        String header = String.join(".", "v1", ACME.teamId(), encodedName, Long.toString(seconds),
                Base64.getUrlEncoder().withoutPadding().encodeToString(v1));

        assertReason(() -> signer.verify(header, "GET", "/v1/me"), Reason.MALFORMED);
    }

    @Test
    void rejectsWrongSecret() {
        String header = signerAt(NOW, "another-secret").sign(ACME, "GET", "/v1/me");
        assertReason(() -> signer.verify(header, "GET", "/v1/me"), Reason.BAD_SIGNATURE);
    }

    @Test
    void rejectsTamperedTeamNameOrTime() {
        String header = signer.sign(ACME, "GET", "/v1/me");
        String[] parts = header.split("\\.");

        String otherTeam = String.join(".", parts[0], "other-team", parts[2], parts[3], parts[4]);
        String otherName = String.join(".", parts[0], parts[1],
                Base64.getUrlEncoder().withoutPadding().encodeToString("evil".getBytes(StandardCharsets.UTF_8)),
                parts[3], parts[4]);
        String otherTime = String.join(".", parts[0], parts[1], parts[2],
                Long.toString(Long.parseLong(parts[3]) + 1), parts[4]);
        char last = parts[4].charAt(0);
        String flippedSig = String.join(".", parts[0], parts[1], parts[2], parts[3],
                (last == 'A' ? 'B' : 'A') + parts[4].substring(1));

        for (String forged : new String[] {otherTeam, otherName, otherTime, flippedSig}) {
            assertReason(() -> signer.verify(forged, "GET", "/v1/me"), Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void rejectsExpiredAndFutureHeaders() {
        String header = signer.sign(ACME, "GET", "/v1/me");

        assertThat(signerAt(NOW.plusSeconds(30), "s3cret-shared-by-gateway").verify(header, "GET", "/v1/me"))
                .isEqualTo(ACME);
        assertReason(() -> signerAt(NOW.plusSeconds(31), "s3cret-shared-by-gateway").verify(header, "GET", "/v1/me"),
                Reason.EXPIRED);
        assertReason(() -> signerAt(NOW.minusSeconds(60), "s3cret-shared-by-gateway").verify(header, "GET", "/v1/me"),
                Reason.NOT_YET_VALID);
    }

    @Test
    void rejectsMissingAndMalformedHeaders() {
        assertReason(() -> signer.verify(null, "GET", "/"), Reason.MISSING);
        assertReason(() -> signer.verify(" ", "GET", "/"), Reason.MISSING);
        for (String bad : new String[] {"v2", "v2.a.b.c", "v1.a.YQ.1.c2ln", "v3.a.YQ.1.c2ln", "v2.a.YQ.notanumber.c2ln",
                "v2.a.YQ.1.!!!", "v2.a.YQ.1.c2ln.extra", "v2..YQ.1.c2ln"}) {
            assertReason(() -> signer.verify(bad, "GET", "/"), Reason.MALFORMED);
        }
    }

    @Test
    void refusesUnusableConfiguration() {
        assertThatThrownBy(() -> new IdentitySigner(" ", Duration.ofSeconds(1))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentitySigner("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TeamIdentity("has.dot", "n")).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertReason(Runnable verification, Reason reason) {
        assertThatThrownBy(verification::run)
                .isInstanceOfSatisfying(IdentityRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
