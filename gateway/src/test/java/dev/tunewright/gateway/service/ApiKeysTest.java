package dev.tunewright.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void generatesPrefixedBase62KeysThatDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).hasSize(44).startsWith("twk_").matches("twk_[0-9A-Za-z]{40}");
            assertThat(ApiKeys.looksLikeKey(key)).isTrue();
            assertThat(seen.add(key)).isTrue();
        }
    }

    @Test
    void usesTheWholeAlphabet() {
        Set<Character> chars = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : ApiKeys.generate().substring(4).toCharArray()) {
                chars.add(c);
            }
        }
        assertThat(chars).hasSize(62);
    }

    @Test
    void displayPrefixAndHash() {
        String key = "twk_" + "a".repeat(40);
        assertThat(ApiKeys.displayPrefix(key)).isEqualTo("twk_aaaaaaaa");
        assertThat(ApiKeys.hash(key)).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(ApiKeys.hash(key));
        assertThat(ApiKeys.hash(key)).isNotEqualTo(ApiKeys.hash("twk_" + "b".repeat(40)));
    }

    @Test
    void rejectsMalformedKeys() {
        for (String bad : new String[] {null, "", "twk_", "twk_" + "a".repeat(39), "twk_" + "a".repeat(41),
                "sk-" + "a".repeat(41), "twk_" + "a".repeat(39) + "-"}) {
            assertThat(ApiKeys.looksLikeKey(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void readsBearerHeaders() {
        assertThat(ApiKeys.fromAuthorization("Bearer twk_x")).isEqualTo("twk_x");
        assertThat(ApiKeys.fromAuthorization("bearer   twk_x ")).isEqualTo("twk_x");
        assertThat(ApiKeys.fromAuthorization("Basic abc")).isNull();
        assertThat(ApiKeys.fromAuthorization("Bearer")).isNull();
        assertThat(ApiKeys.fromAuthorization(null)).isNull();
    }
}
