package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The local HTTP API hands functions the path as API Gateway's HTTP APIs do: percent-decoded
 * in {@code rawPath} and {@code pathParameters}, a plus kept, and an escape that spells no
 * UTF-8 left as sent rather than failing the request.
 */
@Tag("unit")
class HttpApiPathDecodingTest {

    @Test
    void rawPath_arrivesDecoded_likeAnHttpApi() {
        assertThat(HttpApiEmulator.decodedPath("/capture/space%20value")).isEqualTo("/capture/space value");
        assertThat(HttpApiEmulator.decodedPath("/services/caf%C3%A9-42")).isEqualTo("/services/café-42");
        assertThat(HttpApiEmulator.decodedPath("/services/a+b%2Bc")).isEqualTo("/services/a+b+c");
        assertThat(HttpApiEmulator.decodedPath("/services/a%2541")).as("decoded once, not twice").isEqualTo("/services/a%41");
    }

    @Test
    void malformedEscapes_stayAsSent_insteadOfFailingTheRequest() {
        assertThat(HttpApiEmulator.decodedPath("/services/%ZZ")).isEqualTo("/services/%ZZ");
        assertThat(HttpApiEmulator.decodedPath("/services/abc%2")).isEqualTo("/services/abc%2");
        assertThat(HttpApiEmulator.decodedPath("/services/%C3%28x")).isEqualTo("/services/%C3%28x");
        assertThat(HttpApiEmulator.decodedPath("/services/%")).isEqualTo("/services/%");
    }

    @Test
    void queryStrings_decodeAsForms() {
        assertThat(HttpApiEmulator.decodedQuery("a+b")).isEqualTo("a b");
        assertThat(HttpApiEmulator.decodedQuery("a%2Bb")).isEqualTo("a+b");
        assertThat(HttpApiEmulator.decodedQuery("https%3A%2F%2Fexample.com")).isEqualTo("https://example.com");
        assertThat(HttpApiEmulator.decodedQuery("%ZZ")).isEqualTo("%ZZ");
    }

    @Test
    void pathParameters_bindFromTheRawSegments_decodedOnce() {
        assertThat(HttpApiEmulator.bind("/services/{serviceId}", "/services/caf%C3%A9")).contains(Map.of("serviceId", "café"));
        assertThat(HttpApiEmulator.bind("/services/{serviceId}", "/services/%ZZ")).contains(Map.of("serviceId", "%ZZ"));
        assertThat(HttpApiEmulator.bind("/services/{serviceId}", "//services")).isEmpty();
    }
}
