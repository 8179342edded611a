package dev.tunewright.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The gateway signs Vert.x's raw request path and services verify JAX-RS's raw request URI path; this pins down
 * that Quarkus REST hands the path over byte for byte, escapes included, so signatures match for any file name.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
class RawPathIT {

    @Test
    void jaxRsSeesTheRawPathUnchanged() {
        given().urlEncodingEnabled(false).when().get("/it/raw-path/abc%20def/x+y/%C3%A9t%C3%A9;v=1")
                .then().statusCode(200).body(equalTo("/it/raw-path/abc%20def/x+y/%C3%A9t%C3%A9;v=1"));
    }
}
