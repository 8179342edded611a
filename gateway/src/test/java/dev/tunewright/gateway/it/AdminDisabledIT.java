package dev.tunewright.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without an admin token the admin API is closed to everyone, even to a caller who sends some token. */
@QuarkusTest
@TestProfile(AdminDisabledIT.NoAdminToken.class)
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
class AdminDisabledIT {

    public static class NoAdminToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tunewright.gateway.admin-token", "");
        }
    }

    @Test
    void answers403() {
        given().header("Authorization", GatewayFixtures.ADMIN).when().get("/admin/teams")
                .then().statusCode(403)
                .body("error.type", equalTo("permission_error"))
                .body("error.message", equalTo("admin API disabled: set TUNEWRIGHT_ADMIN_TOKEN on the gateway"));
    }
}
