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
}
