package dev.tunewright.testing;

import dev.tunewright.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(InfrastructureExtension.class)
class InfrastructureExtensionTest {

    @Test
    void sharesOneBrokerAndDatabaseWithTheContractTopicsCreated(Infrastructure infrastructure) throws Exception {
        assertThat(Infrastructure.get().bootstrapServers()).isEqualTo(infrastructure.bootstrapServers());

        try (Connection connection = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(), infrastructure.password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("tunewright");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains(Topics.TEAMS, Topics.JOBS);
        }
        assertThat(infrastructure.artifactsDir()).isDirectory();
        assertThat(infrastructure.logsDir().resolve("kafka.log")).content().contains("KafkaRaftServer");
        assertThat(infrastructure.logsDir().resolve("postgres.log")).exists();
    }

    @Test
    void quarkusResourcePointsAtTheSameInfrastructure(Infrastructure infrastructure) {
        Map<String, String> config = new InfrastructureResource().start();

        assertThat(config)
                .containsEntry("quarkus.datasource.jdbc.url", infrastructure.jdbcUrl())
                .containsEntry("quarkus.datasource.username", infrastructure.username())
                .containsEntry("quarkus.datasource.password", infrastructure.password())
                .containsEntry("kafka.bootstrap.servers", infrastructure.bootstrapServers())
                .containsEntry("tunewright.identity.secret", InfrastructureResource.IDENTITY_SECRET)
                .containsEntry("tunewright.artifacts.dir", infrastructure.artifactsDir().toString());
    }
}
