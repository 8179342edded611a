package dev.tunewright.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BodyLimitsTest {

    @Test
    void theLongestPrefixWinsByWholeSegmentsAndEverythingElseGetsTheDefault() {
        BodyLimits limits = BodyLimits.of(1024, List.of("/v1/files=none", "/v1/chat/completions=8M", "/v1/chat=2K"));
        assertThat(limits.limit("/v1/files")).isEqualTo(BodyLimits.NONE);
        assertThat(limits.limit("/v1/files/file-1/content")).isEqualTo(BodyLimits.NONE);
        assertThat(limits.limit("/v1/filesystem")).as("not below /v1/files").isEqualTo(1024);
        assertThat(limits.limit("/v1/chat/completions")).isEqualTo(8L * 1024 * 1024);
        assertThat(limits.limit("/v1/chat/other")).isEqualTo(2048);
        assertThat(limits.limit("/v1/fine_tuning/jobs")).isEqualTo(1024);
        assertThat(limits.source("/v1/chat/completions")).isEqualTo(BodyLimits.CONFIG + " (/v1/chat/completions)");
        assertThat(limits.source("/v1/datasets")).isEqualTo("tunewright.gateway.limits.max-body");
    }

    @Test
    void trailingSlashesAndCaseOfNoneDoNotMatter() {
        BodyLimits limits = BodyLimits.of(10, List.of(" /v1/files/ = NONE ", ""));
        assertThat(limits.limit("/v1/files/x")).isEqualTo(BodyLimits.NONE);
    }

    @Test
    void describesSizesAsPeopleReadThem() {
        assertThat(BodyLimits.describe(1024 * 1024)).isEqualTo("1 MiB");
        assertThat(BodyLimits.describe(8L * 1024 * 1024)).isEqualTo("8 MiB");
        assertThat(BodyLimits.describe(1536)).isEqualTo("1536 bytes");
        assertThat(BodyLimits.describe(2048)).isEqualTo("2 KiB");
        assertThat(BodyLimits.describe(1)).isEqualTo("1 byte");
    }

    @Test
    void badEntriesNameTheSettingAndTheEntry() {
        assertThatThrownBy(() -> BodyLimits.of(1, List.of("/v1/files")))
                .hasMessageContaining(BodyLimits.CONFIG).hasMessageContaining("PREFIX=SIZE");
        assertThatThrownBy(() -> BodyLimits.of(1, List.of("/v1/files=lots")))
                .hasMessageContaining("invalid size 'lots'");
        assertThatThrownBy(() -> BodyLimits.of(1, List.of("v1/files=1K"))).hasMessageContaining("invalid prefix");
        assertThatThrownBy(() -> BodyLimits.of(1, List.of("/v1/../admin=1K"))).hasMessageContaining("invalid prefix");
        assertThatThrownBy(() -> BodyLimits.of(1, List.of("/v1/x=1K", "/v1/x/=2K"))).hasMessageContaining("twice");
    }
}
