package dev.tunewright.registry.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** TeamCreated events over the real broker become namespaces of the packaged service; redelivery and garbage change nothing. */
@QuarkusIntegrationTest
@QuarkusTestResource(RegistryTestResource.class)
class TeamEventsIT {

    private static final IdentitySigner SIGNER = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET, Duration.ofMinutes(5));
    private static final String PATH = "/v1/registry/namespace";

    private static RequestSpecification as(TeamIdentity team) {
        return given().header(IdentitySigner.HEADER, SIGNER.sign(team, "GET", PATH));
    }

    @Test
    void teamCreatedBecomesANamespaceOnceEvenWhenRedelivered() throws Exception {
        String teamId = UUID.randomUUID().toString();
        TeamIdentity team = new TeamIdentity(teamId, "acme");
        as(team).get(PATH).then().statusCode(404);

        TeamCreated event = TeamCreated.of(teamId, "acme-" + teamId.substring(0, 8));
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.TEAMS, teamId, "{not json")).get();
            producer.send(new ProducerRecord<>(Topics.TEAMS, teamId, EventJson.write(event))).get();
            producer.send(new ProducerRecord<>(Topics.TEAMS, teamId, EventJson.write(event))).get();
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (as(team).get(PATH).statusCode() != 200) {
            assertThat(Instant.now()).as("namespace created within 30 s").isBefore(deadline);
            Thread.sleep(50);
        }
        as(team).get(PATH).then().statusCode(200).body("team_id", equalTo(teamId))
                .body("team_name", equalTo(event.teamName()));

        // Another team does not see it, and a request without the gateway's signature is refused.
        as(new TeamIdentity(UUID.randomUUID().toString(), "other")).get(PATH).then().statusCode(404);
        given().get(PATH).then().statusCode(401).body("error.code", equalTo("invalid_identity"));
        given().header(IdentitySigner.HEADER, SIGNER.sign(team, "GET", "/v1/adapters")).get(PATH).then().statusCode(401);
        String adapters = "/v1/adapters";
        given().header(IdentitySigner.HEADER, SIGNER.sign(team, "GET", adapters)).get(adapters).then().statusCode(200)
                .body("object", equalTo("list")).body("data.size()", equalTo(0));
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(props);
    }
}
