package dev.tunewright.gateway.it;

import static dev.tunewright.gateway.it.GatewayFixtures.ADMIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.contracts.team.TeamEvent;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The admin API and API-key authentication against real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
class AdminApiIT {

    @Test
    void createsTeamWithFirstKeyAndPublishesTeamCreated() {
        String name = GatewayFixtures.uniqueName("acme");
        JsonPath team = GatewayFixtures.createTeam(name);

        assertThat(team.getString("name")).isEqualTo(name);
        assertThat(team.getString("id")).matches("[0-9a-f-]{36}");
        assertThat(team.getString("created_at")).endsWith("Z");
        String key = team.getString("api_key.key");
        assertThat(key).matches("twk_[0-9A-Za-z]{40}");
        assertThat(team.getString("api_key.prefix")).isEqualTo(key.substring(0, 12));
        assertThat(team.getString("api_key.id")).matches("[0-9a-f-]{36}");
        assertThat(team.getString("api_key.created_at")).isNotBlank();

        given().header("Authorization", ADMIN).when().get("/admin/teams")
                .then().statusCode(200).body("data.name", hasItem(name));

        ConsumerRecord<String, String> record = GatewayFixtures.awaitRecord(Topics.TEAMS,
                r -> team.getString("id").equals(r.key()), Duration.ofSeconds(30));
        TeamEvent event = EventJson.read(record.value(), TeamEvent.class);
        assertThat(event).isInstanceOfSatisfying(TeamCreated.class, created -> {
            assertThat(created.teamId()).isEqualTo(team.getString("id"));
            assertThat(created.teamName()).isEqualTo(name);
        });
    }

    @Test
    void refusesDuplicateAndInvalidNames() {
        String name = GatewayFixtures.uniqueName("dup");
        GatewayFixtures.createTeam(name);

        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("name", name))
                .when().post("/admin/teams")
                .then().statusCode(409)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("team_exists"));

        for (String bad : new String[] {"A", "Acme", "-acme", "a", "acme_corp", "x".repeat(64), "acme corp"}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("name", bad))
                    .when().post("/admin/teams")
                    .then().statusCode(400)
                    .body("error.code", equalTo("invalid_team_name"))
                    .body("error.param", equalTo("name"));
        }
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"name\":")
                .when().post("/admin/teams")
                .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void requiresTheAdminToken() {
        given().when().get("/admin/teams")
                .then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_admin_token"))
                .body("error.param", nullValue())
                .header("X-Request-Id", notNullValue());
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(Map.of("name", "zzz"))
                .when().post("/admin/teams")
                .then().statusCode(401);
    }

    @Test
    void issuesListsAndRevokesKeys() {
        String name = GatewayFixtures.uniqueName("keys");
        JsonPath team = GatewayFixtures.createTeam(name);
        String firstKey = team.getString("api_key.key");

        JsonPath second = given().header("Authorization", ADMIN)
                .when().post("/admin/teams/" + name + "/keys")
                .then().statusCode(201)
                .body("team", equalTo(name))
                .body("key", matchesPattern("twk_[0-9A-Za-z]{40}"))
                .extract().jsonPath();
        String secondKey = second.getString("key");

        String listing = given().header("Authorization", ADMIN)
                .when().get("/admin/teams/" + name + "/keys")
                .then().statusCode(200)
                .body("data.size()", equalTo(2))
                .body("data.id", hasItem(second.getString("id")))
                .body("data[0].revoked_at", nullValue())
                .extract().asString();
        assertThat(listing).doesNotContain(firstKey).doesNotContain(secondKey).doesNotContain("\"key\"");

        given().header("Authorization", "Bearer " + secondKey).when().get("/v1/me")
                .then().statusCode(200)
                .body("team.id", equalTo(team.getString("id")))
                .body("team.name", equalTo(name));

        given().header("Authorization", ADMIN).when().delete("/admin/keys/" + second.getString("id"))
                .then().statusCode(200)
                .body("id", equalTo(second.getString("id")))
                .body("revoked_at", notNullValue());

        // Revocation is immediate on the instance that revoked, for /v1/me and for proxied paths alike.
        given().header("Authorization", "Bearer " + secondKey).when().get("/v1/me")
                .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer " + secondKey).when().get("/v1/files/x")
                .then().statusCode(401).body("error.type", equalTo("authentication_error"));
        given().header("Authorization", "Bearer " + firstKey).when().get("/v1/me")
                .then().statusCode(200);

        given().header("Authorization", ADMIN).when().get("/admin/teams/" + name + "/keys")
                .then().body("data.find { it.id == '" + second.getString("id") + "' }.revoked_at", notNullValue());
    }

    @Test
    void rotationKeepsTheOldKeyForTheGracePeriodThenRefusesIt() {
        String name = GatewayFixtures.uniqueName("rotate");
        JsonPath team = GatewayFixtures.createTeam(name);
        String oldKey = team.getString("api_key.key");
        String oldId = team.getString("api_key.id");

        Instant before = Instant.now();
        JsonPath rotation = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("grace_seconds", 600))
                .when().post("/admin/teams/" + name + "/keys/rotate")
                .then().statusCode(201)
                .body("team", equalTo(name))
                .body("api_key.key", matchesPattern("twk_[0-9A-Za-z]{40}"))
                .body("retiring.size()", equalTo(1))
                .body("retiring[0].id", equalTo(oldId))
                .body("retiring[0].expires_at", notNullValue())
                .extract().jsonPath();
        String newKey = rotation.getString("api_key.key");
        Instant deadline = Instant.parse(rotation.getString("retiring[0].expires_at"));
        assertThat(deadline).isBetween(before.plusSeconds(600), Instant.now().plusSeconds(600));

        // Both work during the grace period, on /v1/me and on proxied paths.
        for (String key : new String[] {oldKey, newKey}) {
            given().header("Authorization", "Bearer " + key).when().get("/v1/me").then().statusCode(200)
                    .body("team.name", equalTo(name));
            given().header("Authorization", "Bearer " + key).when().get("/v1/files/x").then().statusCode(200);
        }
        given().header("Authorization", ADMIN).when().get("/admin/teams/" + name + "/keys")
                .then().statusCode(200).body("data.size()", equalTo(2))
                .body("data.find { it.id == '" + oldId + "' }.expires_at", notNullValue())
                .body("data.find { it.id == '" + rotation.getString("api_key.id") + "' }.expires_at", nullValue());

        try {
            // A second short of the deadline the old key still works (and is cached); at the deadline it is refused.
            ShiftedClock.advance(Duration.between(Instant.now(), deadline).minusSeconds(1));
            given().header("Authorization", "Bearer " + oldKey).when().get("/v1/files/x").then().statusCode(200);
            ShiftedClock.advance(Duration.ofSeconds(2));
            given().header("Authorization", "Bearer " + oldKey).when().get("/v1/me")
                    .then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
            given().header("Authorization", "Bearer " + oldKey).when().get("/v1/files/x").then().statusCode(401);
            given().header("Authorization", "Bearer " + newKey).when().get("/v1/files/x").then().statusCode(200);
        } finally {
            ShiftedClock.reset();
        }
    }

    @Test
    void rotationWithoutGraceEndsTheOldKeyAtOnceAndCanTargetOneKey() {
        String name = GatewayFixtures.uniqueName("rotate0");
        JsonPath team = GatewayFixtures.createTeam(name);
        String first = team.getString("api_key.key");
        JsonPath second = given().header("Authorization", ADMIN).when().post("/admin/teams/" + name + "/keys")
                .then().statusCode(201).extract().jsonPath();

        String third = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("grace_seconds", 0, "key_id", team.getString("api_key.id")))
                .when().post("/admin/teams/" + name + "/keys/rotate")
                .then().statusCode(201).body("retiring.id", equalTo(List.of(team.getString("api_key.id"))))
                .extract().jsonPath().getString("api_key.key");

        given().header("Authorization", "Bearer " + first).when().get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + second.getString("key")).when().get("/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + third).when().get("/v1/me").then().statusCode(200);

        // The default grace period applies without a body.
        JsonPath defaulted = given().header("Authorization", ADMIN).when().post("/admin/teams/" + name + "/keys/rotate")
                .then().statusCode(201).body("retiring.size()", equalTo(2)).extract().jsonPath();
        assertThat(Instant.parse(defaulted.getString("retiring[0].expires_at")))
                .isAfter(Instant.now().plus(Duration.ofHours(23)));
    }

    @Test
    void rotationRefusesBadGracePeriodsAndUnknownKeys() {
        String name = GatewayFixtures.uniqueName("rotatebad");
        GatewayFixtures.createTeam(name);
        for (long grace : new long[] {-1, 31L * 24 * 3600}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(Map.of("grace_seconds", grace))
                    .when().post("/admin/teams/" + name + "/keys/rotate")
                    .then().statusCode(400).body("error.code", equalTo("invalid_grace_period"))
                    .body("error.param", equalTo("grace_seconds"));
        }
        for (String bad : new String[] {"{\"grace_seconds\": \"10\"}", "{\"grace_seconds\": 1.5}", "{\"grace\": 10}", "{"}) {
            given().header("Authorization", ADMIN).contentType(ContentType.JSON).body(bad)
                    .when().post("/admin/teams/" + name + "/keys/rotate")
                    .then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        }
        given().header("Authorization", ADMIN).when().get("/admin/teams/" + name + "/keys")
                .then().statusCode(200).body("data.size()", equalTo(1));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body(Map.of("key_id", "00000000-0000-0000-0000-000000000000"))
                .when().post("/admin/teams/" + name + "/keys/rotate").then().statusCode(404);
        given().header("Authorization", ADMIN).when().post("/admin/teams/no-such-team/keys/rotate").then().statusCode(404);
        given().header("Authorization", "Bearer wrong").when().post("/admin/teams/" + name + "/keys/rotate")
                .then().statusCode(401);
    }

    @Test
    void unknownTeamsAndKeysAre404() {
        given().header("Authorization", ADMIN).when().post("/admin/teams/no-such-team/keys")
                .then().statusCode(404).body("error.code", equalTo("not_found"));
        given().header("Authorization", ADMIN).when().get("/admin/teams/no-such-team/keys")
                .then().statusCode(404);
        given().header("Authorization", ADMIN).when().delete("/admin/keys/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404);
        given().header("Authorization", ADMIN).when().delete("/admin/keys/not-a-uuid")
                .then().statusCode(404);
    }

    @Test
    void meRequiresAValidKey() {
        given().when().get("/v1/me")
                .then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer twk_" + "0".repeat(40)).when().get("/v1/me")
                .then().statusCode(401);
    }
}
