package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArtifactLocksTest {

    @Test
    void keysComeFromTheContentHashAndAreTheSameInEveryService() {
        String id = ArtifactStore.idOf("8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4");

        assertThat(ArtifactLocks.key(id)).isEqualTo(0x8f434346648f6b96L);
        assertThat(ArtifactLocks.key(ArtifactStore.idOf("0".repeat(64)))).isZero();
        assertThat(ArtifactLocks.key("another-kind-of-id")).isEqualTo("another-kind-of-id".hashCode());
    }
}
