package dev.tunewright.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.rest.ApiException;
import org.junit.jupiter.api.Test;

class FilenamesTest {

    @Test
    void keepsTheNameWithoutItsDirectories() {
        assertThat(Filenames.accept("train.jsonl", 255)).isEqualTo("train.jsonl");
        assertThat(Filenames.accept("dir/sub/train.jsonl", 255)).isEqualTo("train.jsonl");
        assertThat(Filenames.accept("C:\\Users\\me\\train.jsonl", 255)).isEqualTo("train.jsonl");
        assertThat(Filenames.accept("données 日本 👩‍💻.jsonl", 255)).isEqualTo("données 日本 👩‍💻.jsonl");
        assertThat(Filenames.accept(null, 255)).isEqualTo("upload.jsonl");
        assertThat(Filenames.accept("  ", 255)).isEqualTo("upload.jsonl");
    }

    @Test
    void refusesNamesThatCannotBeKeptNamingTheField() {
        for (String bad : new String[] {"/", "a/", "..", "dir/..", "a\u0000b", "a\nb", "a\rb", "a\u0085b", "a\u2028b",
                "a\u202Eb", "x".repeat(256)}) {
            assertThatThrownBy(() -> Filenames.accept(bad, 255)).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.param()).isEqualTo("file");
                assertThat(e.code()).isEqualTo("invalid_filename");
            });
        }
        assertThat(Filenames.accept("x".repeat(255), 255)).hasSize(255);
        assertThatThrownBy(() -> Filenames.accept("x".repeat(513), 10_000)).hasMessageContaining("the limit is 512");
    }
}
