package dev.tunewright.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafePathsTest {

    @Test
    void plainPathsAreSafe() {
        for (String safe : new String[] {"/", "/v1/files/file-abc/content", "/v1/files/a%20b", "/v1/models/qwen2.5",
                "/v1/files/", "/q/health/ready", "/it/raw-path/x+y/%C3%A9t%C3%A9;v=1", "/v1/a..b/.c"}) {
            assertThat(SafePaths.isSafe(safe)).as(safe).isTrue();
        }
    }

    @Test
    void dotSegmentsEmptySegmentsAndEncodedSeparatorsAreNot() {
        for (String unsafe : new String[] {"/v1/files/../admin", "/v1/files/./x", "/v1/files/%2e%2e/admin",
                "/v1/files/%2E%2E", "/q/.%2e/v1/files", "/q/..;/v1/files", "/q/.;x/v1/files", "/v1/files//x",
                "/v1/files/a%2fb", "/v1/files/a%2Fb", "/v1/files\\x", "/v1/files/a%5cb", "/v1/files/a%00", "/v1/..",
                "/..", "v1/files", "*", "", null, "/v1/files/a\u0000b", "/v1/files/a\tb", "/v1/files/a\u00ff\u00fe",
                "/v1/files/\u00e9t\u00e9", "/v1/files/a\u0085b", "/v1/files/\u2028"}) {
            assertThat(SafePaths.isSafe(unsafe)).as(unsafe).isFalse();
        }
    }

    @Test
    void theRefusalIsAnOpenAiShapedError() {
        assertThat(SafePaths.refusal().toJson()).contains("\"code\":\"invalid_path\"").contains("\"type\":\"invalid_request_error\"");
    }
}
