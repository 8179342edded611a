package dev.tunewright.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    @Test
    void plainNamesStayReadable() {
        assertThat(ContentDisposition.attachment("train-v2.jsonl"))
                .isEqualTo("attachment; filename=\"train-v2.jsonl\"; filename*=UTF-8''train-v2.jsonl");
    }

    @Test
    void nothingInTheNameCanEndTheHeaderOrItsQuotedString() {
        String header = ContentDisposition.attachment("a\"b\\c\r\nX-Evil: 1 é.jsonl");

        assertThat(header).isEqualTo("attachment; filename=\"a_b_c__X-Evil: 1 _.jsonl\"; "
                + "filename*=UTF-8''a%22b%5Cc%0D%0AX-Evil%3A%201%20%C3%A9.jsonl");
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
