package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checker behind ResponseContractTest refuses what the description does not allow. */
class ApiContractTest {
    private static ApiContract contract;

    @BeforeAll
    static void load() {
        contract = ApiContract.load();
    }

    @Test
    void aMatchingAnswer_passes() {
        assertThat(contract.check("GET", "/quotas/{kind}", 200, "application/json", "{\"kind\":\"COMMON_ROOM\",\"maxActive\":2}"))
                .isEmpty();
        assertThat(contract.check("DELETE", "/resources/{resourceId}", 204, null, "")).isEmpty();
    }

    @Test
    void aWrongBody_anUndescribedStatus_orMediaType_fail() {
        assertThat(contract.check("GET", "/quotas/{kind}", 200, "application/json", "{\"maxActive\":2}"))
                .singleElement().asString().contains("kind");
        assertThat(contract.check("GET", "/quotas/{kind}", 200, "application/json", "{\"kind\":\"BOAT\"}")).isNotEmpty();
        assertThat(contract.check("GET", "/quotas/{kind}", 418, "application/json", "{}")).singleElement().asString()
                .contains("status not described");
        assertThat(contract.check("GET", "/quotas/{kind}", 200, "text/plain", "kind")).singleElement().asString()
                .contains("media type");
        assertThat(contract.check("GET", "/nowhere", 200, "application/json", "{}")).isNotEmpty();
    }

    @Test
    void problems_areCheckedAgainstTheProblemSchema_andTimesAgainstDateTime() {
        assertThat(contract.check("GET", "/quotas/{kind}", 400, "application/problem+json",
                "{\"type\":\"https://territoire.example/problems/validation-error\",\"title\":\"Invalid request\",\"status\":400,"
                        + "\"detail\":\"kind: must be one of\"}")).isEmpty();
        assertThat(contract.check("GET", "/quotas/{kind}", 400, "application/problem+json", "{\"message\":\"no\"}")).isNotEmpty();
        assertThat(contract.check("GET", "/bookings/{bookingId}", 200, "application/json",
                "{\"id\":\"b\",\"resourceId\":\"r\",\"start\":\"yesterday\",\"end\":\"2026-12-01T10:00:00Z\",\"units\":1,\"status\":\"CONFIRMED\"}"))
                .singleElement().asString().contains("start");
    }

    @Test
    void theDescriptionsExamples_matchTheirSchemas() {
        assertThat(contract.checkExamples()).isEmpty();
    }

    @Test
    void requestBodies_areCheckedAgainstTheirSchema() {
        assertThat(contract.checkRequest("POST", "/services/{serviceId}/evaluations", "{\"rating\":4}")).isEmpty();
        assertThat(contract.checkRequest("POST", "/services/{serviceId}/evaluations", "{\"rating\":4,\"extra\":1}")).isNotEmpty();
    }

    private static HttpApiEmulator.Exchange exchange(String method, String route, String sent, int status, String type, byte[] body,
                                                     String encoding) {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        headers.put("content-type", type);
        if (encoding != null) {
            headers.put("content-encoding", encoding);
        }
        return new HttpApiEmulator.Exchange(method, route, java.util.Map.of("content-type", "application/json"),
                sent == null ? new byte[0] : sent.getBytes(java.nio.charset.StandardCharsets.UTF_8), status, headers, body);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void anExchange_isCheckedOnItsAnswer_gzippedOrNot() throws Exception {
        String quota = "{\"kind\":\"COMMON_ROOM\",\"maxActive\":2}";
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.GZIPOutputStream(zipped)) {
            zip.write(utf8("{\"maxActive\":2}"));
        }

        assertThat(contract.check(exchange("GET", "/quotas/{kind}", null, 200, "application/json", utf8(quota), null))).isEmpty();
        assertThat(contract.check(exchange("GET", "/quotas/{kind}", null, 200, "application/json", zipped.toByteArray(), "gzip")))
                .singleElement().asString().contains("kind");
        assertThat(contract.check(exchange("GET", "/nowhere", null, 200, "application/json", utf8("{}"), null)))
                .as("a test template's own route").isEmpty();
    }

    @Test
    void anExchange_whoseAnswerHasATimeNotToTheMillisecondInUtc_fails() {
        String booking = "{\"id\":\"b\",\"resourceId\":\"r\",\"start\":\"%s\",\"end\":\"2026-12-01T10:00:00.000Z\",\"units\":1,"
                + "\"status\":\"CONFIRMED\"}";

        assertThat(contract.check(exchange("GET", "/bookings/{bookingId}", null, 200, "application/json",
                utf8(booking.formatted("2026-12-01T09:00:00.000Z")), null))).isEmpty();
        for (String drifted : new String[] {"2026-12-01T09:00:00Z", "2026-12-01T09:00:00.123456789Z", "2026-12-01T10:00:00.000+01:00"}) {
            assertThat(contract.check(exchange("GET", "/bookings/{bookingId}", null, 200, "application/json",
                    utf8(booking.formatted(drifted)), null))).singleElement().asString().contains("$.start", "millisecond");
        }
    }

    @Test
    void aRequestTheDescriptionRefuses_failsOnlyWhenTheApiAcceptedIt() {
        String problem = "{\"type\":\"https://territoire.example/problems/validation-error\",\"title\":\"Invalid request\",\"status\":400,"
                + "\"detail\":\"rating: must be a whole number\"}";
        String evaluation = "{\"rating\":4}";

        assertThat(contract.check(exchange("POST", "/services/{serviceId}/evaluations", "{\"rating\":\"four\"}", 400,
                "application/problem+json", utf8(problem), null))).as("a negative test's request, refused").isEmpty();
        assertThat(contract.check(exchange("POST", "/services/{serviceId}/evaluations", "{\"rating\":\"four\"}", 201,
                "application/json", utf8(evaluation), null))).anySatisfy(p -> assertThat(p).contains("accepted what the description refuses"));
        assertThat(contract.checkRequest("POST", "/services/{serviceId}/evaluations", "{\"rating\":4,\"comment\":null}"))
                .as("null is absent").isEmpty();
        assertThat(contract.checkRequest("POST", "/services/{serviceId}/evaluations", "{\"rating\":null}"))
                .as("a required member given as null").isNotEmpty();
    }
}
