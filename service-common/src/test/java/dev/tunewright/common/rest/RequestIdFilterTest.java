package dev.tunewright.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.FakeRequest;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class RequestIdFilterTest {

    private final RequestIdFilter filter = new RequestIdFilter();

    @Test
    void keepsAPlainClientIdAndEchoesIt() {
        FakeRequest exchange = new FakeRequest("GET", "/v1/me").header("X-Request-Id", "req-42.a:b_c");

        filter.filter(exchange.request());
        assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isEqualTo("req-42.a:b_c");
        filter.filter(exchange.request(), exchange.response());

        assertThat(exchange.responseHeaders.getFirst("X-Request-Id")).isEqualTo("req-42.a:b_c");
        assertThat(MDC.get(RequestIdFilter.MDC_KEY)).isNull();
    }

    @Test
    void generatesAnIdWhenAbsentOrMalformed() {
        for (String header : new String[] {null, "", "has space", "x".repeat(129), "inj\r\nected", "<script>"}) {
            String id = RequestIdFilter.acceptOrGenerate(header);
            assertThat(UUID.fromString(id)).isNotNull();
        }
        FakeRequest exchange = new FakeRequest("GET", "/");
        filter.filter(exchange.request());
        filter.filter(exchange.request(), exchange.response());
        assertThat(UUID.fromString((String) exchange.responseHeaders.getFirst("X-Request-Id"))).isNotNull();
    }
}
