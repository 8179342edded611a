package dev.tunewright.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.rest.ApiException;
import org.junit.jupiter.api.Test;

class AdapterNamesTest {

    @Test
    void theSuffixNamesTheAdapterElseTheBasesShortName() {
        assertThat(AdapterNames.of("support-bot", "Qwen/Qwen2.5-0.5B-Instruct")).isEqualTo("support-bot");
        assertThat(AdapterNames.of(null, "Qwen/Qwen2.5-0.5B-Instruct")).isEqualTo("Qwen2.5-0.5B-Instruct");
        assertThat(AdapterNames.of(" ", "/srv/models/tiny-llama")).isEqualTo("tiny-llama");
        assertThat(AdapterNames.of("a@b/c d", "x")).isEqualTo("a-b-c-d");
        assertThat(AdapterNames.of("@@", "x")).isEqualTo("adapter");
    }

    @Test
    void aliasesAreLowercaseWordsNotNumbersNorLatest() {
        assertThat(AdapterNames.checkAlias("production")).isEqualTo("production");
        assertThat(AdapterNames.checkAlias("canary-2")).isEqualTo("canary-2");
        for (String bad : new String[] {"Production", "latest", "3", "", "a/b", "-x"}) {
            assertThatThrownBy(() -> AdapterNames.checkAlias(bad)).isInstanceOf(ApiException.class)
                    .hasMessageContaining("alias '" + bad + "'");
        }
    }
}
