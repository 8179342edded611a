package dev.tunewright.eval.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reference keys at rest: never in clear, a fresh nonce per key, unreadable under another secret. */
class KeyVaultTest {

    @Test
    void sealsAndOpensWithoutTheKeyAppearingInTheStoredForm() {
        KeyVault vault = new KeyVault("a-secret-of-the-deployment");
        String sealed = vault.seal("sk-live-123456");
        assertThat(sealed).startsWith("v1:").doesNotContain("sk-live");
        assertThat(vault.seal("sk-live-123456")).as("fresh nonce").isNotEqualTo(sealed);
        assertThat(vault.open(sealed)).isEqualTo("sk-live-123456");
        assertThatThrownBy(() -> new KeyVault("another-secret").open(sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("sk-live");
    }
}
