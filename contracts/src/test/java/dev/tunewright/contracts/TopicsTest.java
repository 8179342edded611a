package dev.tunewright.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void topicNamesAreUniqueAndVersioned() {
        assertThat(Topics.ALL).extracting(TopicSpec::name).doesNotHaveDuplicates()
                .allMatch(name -> name.startsWith("tunewright.") && name.matches(".*\\.v\\d+"));
        assertThat(Topics.ALL).allMatch(spec -> spec.partitions() >= 1);
    }

    @Test
    void readmeTableListsEveryTopicWithItsKey() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (TopicSpec spec : Topics.ALL) {
            assertThat(readme).as("contracts/README.md row for " + spec.name())
                    .contains("| `" + spec.name() + "` | " + spec.partitions() + " | " + spec.key() + " |");
        }
    }
}
