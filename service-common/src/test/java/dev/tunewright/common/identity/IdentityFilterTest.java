package dev.tunewright.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.FakeRequest;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.ApiException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityFilterTest {

    private static final String SECRET = "unit-test-secret";
    private static final TeamIdentity ACME = new TeamIdentity("team-1", "acme");

    private final CallerTeam caller = new CallerTeam();
    private final IdentityFilter filter = new IdentityFilter(new IdentityKeys(config(true)), caller, new CurrentVertxRequest());
    private final IdentitySigner gateway = new IdentitySigner(SECRET, Duration.ofSeconds(30));

    static IdentityConfig config(boolean enforce) {
        return config(Optional.of(SECRET), enforce);
    }

    static IdentityConfig config(Optional<String> secret, boolean enforce) {
        return new IdentityConfig() {
            @Override
            public Optional<String> secret() {
                return secret;
            }

            @Override
            public Duration maxAge() {
                return Duration.ofSeconds(30);
            }

            @Override
            public boolean enforce() {
                return enforce;
            }
        };
    }

    @Test
    void acceptsValidHeaderAndSetsCallerTeam() {
        FakeRequest request = new FakeRequest("GET", "/v1/files/f%201?limit=3")
                .header(IdentitySigner.HEADER, gateway.sign(ACME, "GET", "/v1/files/f%201?limit=3"));

        filter.filter(request.request());

        assertThat(request.aborted).isNull();
        assertThat(caller.teamId()).isEqualTo("team-1");
        assertThat(caller.teamName()).isEqualTo("acme");
    }

    @Test
    void answers401InOpenAiShapeWithoutValidHeader() {
        FakeRequest missing = new FakeRequest("GET", "/v1/files");
        FakeRequest replayed = new FakeRequest("DELETE", "/v1/files/x")
                .header(IdentitySigner.HEADER, gateway.sign(ACME, "GET", "/v1/files/x"));
        FakeRequest otherQuery = new FakeRequest("GET", "/v1/files?limit=100")
                .header(IdentitySigner.HEADER, gateway.sign(ACME, "GET", "/v1/files?limit=1"));
        FakeRequest dotted = new FakeRequest("GET", "/q/../v1/files");

        for (FakeRequest request : new FakeRequest[] {missing, replayed, otherQuery, dotted}) {
            filter.filter(request.request());
        }

        for (FakeRequest request : new FakeRequest[] {missing, replayed, otherQuery, dotted}) {
            assertThat(request.aborted.getStatus()).isEqualTo(401);
            ApiError error = (ApiError) request.aborted.getEntity();
            assertThat(error.error().type()).isEqualTo("authentication_error");
            assertThat(error.error().code()).isEqualTo("invalid_identity");
            assertThat(error.error().param()).isNull();
        }
        assertThat(caller.isAuthenticated()).isFalse();
        assertThatThrownBy(caller::teamId).isInstanceOf(ApiException.class);
    }

    @Test
    void leavesManagementPathsOpen() {
        FakeRequest health = new FakeRequest("GET", "/q/health/ready");
        filter.filter(health.request());
        assertThat(health.aborted).isNull();
        assertThat(IdentityFilter.isOpen("/q")).isTrue();
        assertThat(IdentityFilter.isOpen("/qx/health")).isFalse();
        assertThat(IdentityFilter.isOpen("/v1/q/")).isFalse();
    }

    @Test
    void enforcementCanBeTurnedOffForTheGateway() {
        IdentityFilter open = new IdentityFilter(new IdentityKeys(config(false)), caller, new CurrentVertxRequest());
        FakeRequest request = new FakeRequest("GET", "/admin/teams");
        open.filter(request.request());
        assertThat(request.aborted).isNull();
    }

    @Test
    void refusesToStartWithoutSecret() {
        assertThatThrownBy(() -> new IdentityKeys(config(Optional.empty(), true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TUNEWRIGHT_IDENTITY_SECRET");
        assertThatThrownBy(() -> new IdentityKeys(config(Optional.of("  "), true)))
                .hasMessageContaining("tunewright.identity.secret is not set");
    }
}
