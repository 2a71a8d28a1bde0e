package org.territoire.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;

@Tag("unit")
class ApiResponseProblemTest {

    @Test
    void problem_keepsTheStandardMembers_whenADetailBorrowsTheirNames() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", "APPROVED");
        details.put("type", "about:blank");
        details.put("title", "Fine");
        details.put("detail", "nothing wrong");
        details.put("instance", "/elsewhere");
        details.put("errors", "none");
        details.put("requestStatus", "APPROVED");

        ApiResponse answer = ApiResponse.problem(ApiException.of(DomainError.conflict("this request is already decided", details)), "/requests/r1");

        JsonNode body = Json.tree(answer.body());
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(body.get("status").isInt()).isTrue();
        assertThat(body.get("status").asInt()).isEqualTo(409);
        assertThat(body.get("type").asText()).isEqualTo(ApiResponse.PROBLEM_BASE + "conflict");
        assertThat(body.get("title").asText()).isEqualTo("Conflict");
        assertThat(body.get("detail").asText()).isEqualTo("this request is already decided");
        assertThat(body.get("instance").asText()).isEqualTo("/requests/r1");
        assertThat(body.has("errors")).isFalse();
        assertThat(body.get("requestStatus").asText()).isEqualTo("APPROVED");
    }

    @Test
    void problem_leavesNoInstance_whenOnlyADetailNamesOne() {
        ApiResponse answer = ApiResponse.problem(ApiException.of(DomainError.ruleViolated("too many tries", Map.of("instance", "/x", "triesLeft", 0))), null);

        JsonNode body = Json.tree(answer.body());
        assertThat(body.has("instance")).isFalse();
        assertThat(body.get("status").asInt()).isEqualTo(422);
        assertThat(body.get("triesLeft").asInt()).isZero();
    }
}
