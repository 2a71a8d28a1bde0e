package org.territoire.feedback;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.TestRequests;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a report tells about the people behind it, and to whom: who reported and who moved it,
 * the reporter's contact and how long it is kept. Through the handler, against the local endpoint.
 */
class ReportPrivacyTest {
    private static final String TABLE = FeedbackFixture.TABLE;
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-25T09:00:00Z"));
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start(CLOCK);
    }

    /** A resident whose token also carries an organisation claim: a claim is not the provider role. */
    private static Map<String, String> residentClaimingOrganisation(String id, String organisation) {
        return Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", "centre", "custom:organisation", organisation);
    }

    @Test
    void theHistory_namesWhoMovedTheReport_onlyToItsInsiders_othersSeeRoles() {
        String org = "hist-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(feedback.send("POST", "/reports", resident("alice"), Map.of(), "{\"serviceId\":\"" + feedback.service(org)
                + "\",\"description\":\"Lampadaire en panne depuis trois jours\",\"address\":\"1 rue X\"}").body()).path("id").asText();
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(feedback.send("POST", "/reports/" + id + "/status", provider(org), Map.of(), "{\"status\":\"ACKNOWLEDGED\"}").statusCode())
                .isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(feedback.send("POST", "/reports/" + id + "/status", agent(), Map.of(), "{\"status\":\"IN_PROGRESS\"}").statusCode())
                .isEqualTo(200);

        for (Map<String, String> outsider : List.of(resident("bob"), provider("other-org"), residentClaimingOrganisation("eve", org))) {
            JsonNode view = view(id, outsider);
            assertThat(view.path("history").findValues("actorId")).as("%s sees no actor", outsider.get("sub")).isEmpty();
            assertThat(view.path("history").findValuesAsText("actorRole")).containsExactly("resident", "operator", "agent");
            assertThat(view.path("report").has("authorId")).isFalse();
            assertThat(view.toString()).doesNotContain("alice").doesNotContain("staff-" + org).doesNotContain("agent-1");
        }
        for (Map<String, String> insider : List.of(resident("alice"), provider(org), agent())) {
            JsonNode view = view(id, insider);
            assertThat(view.path("history").findValuesAsText("actorId")).as("%s sees the actors", insider.get("sub"))
                    .containsExactly("alice", "staff-" + org, "agent-1");
            assertThat(view.path("report").path("authorId").asText()).isEqualTo("alice");
        }
    }

    @Test
    void nearbyReports_offeredToAnyoneSignedIn_carryNoAuthorNorContact() {
        String org = "pres-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String apiKey = apiKey(org);
        String id = Json.tree(open311(apiKey, service, "45.70001", "4.80001").body()).get(0).path("service_request_id").asText();

        JsonNode nearby = Json.tree(feedback.send("GET", "/reports/nearby?serviceId=" + service + "&latitude=45.70001&longitude=4.80001",
                resident("c"), Map.of(), null).body());

        assertThat(nearby.path("items").findValuesAsText("id")).containsExactly(id);
        assertThat(nearby.path("items").findValues("authorId")).isEmpty();
        assertThat(nearby.path("items").findValues("contact")).isEmpty();
        assertThat(nearby.toString()).doesNotContain("jo@example.org");
    }

    @Test
    void anOrganisationClaim_withoutTheProviderRole_seesNoContact_andListsNothing() {
        String org = "claim-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(open311(apiKey(org), feedback.service(org), "45.71", "4.81").body()).get(0).path("service_request_id").asText();

        JsonNode claimed = view(id, residentClaimingOrganisation("eve", org));
        assertThat(claimed.path("report").has("contact")).isFalse();
        assertThat(claimed.toString()).doesNotContain("jo@example.org").doesNotContain("06 12 34 56 78");
        assertThat(view(id, provider(org)).path("report").path("contact").path("email").asText()).isEqualTo("jo@example.org");

        // The route refuses a resident already; the service refuses too, whoever calls it.
        Caller eve = Caller.fromClaims(residentClaimingOrganisation("eve", org)).orElseThrow();
        assertThatThrownBy(() -> feedback.wiring.reports().ofOrganisation(eve, org, ReportStatus.OPEN, 20, Optional.empty()))
                .isInstanceOf(DomainError.Forbidden.class);
        Caller staff = Caller.fromClaims(provider(org)).orElseThrow();
        assertThat(feedback.wiring.reports().ofOrganisation(staff, org, ReportStatus.OPEN, 20, Optional.empty()).items()).hasSize(1);
    }

    @Test
    void aClosedReport_keepsItsReportersContact_forTheRetentionDelay_thenNoReadShowsIt() {
        String org = "rgpd-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String apiKey = apiKey(org);
        String closing = Json.tree(open311(apiKey, service, "45.72", "4.82").body()).get(0).path("service_request_id").asText();
        String staysOpen = Json.tree(open311(apiKey, service, "45.73", "4.83").body()).get(0).path("service_request_id").asText();
        assertThat(contactItem(closing)).as("the contact is an item of its own").containsKey("email").doesNotContainKey("expiresAt");
        assertThat(Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", provider(org), Map.of(), null).body())
                .findValues("contact")).as("lists carry no contact").isEmpty();

        Instant closedAt = CLOCK.instant();
        ApiResponse resolved = feedback.send("POST", "/reports/" + closing + "/status", provider(org), Map.of(), "{\"status\":\"RESOLVED\"}");
        assertThat(resolved.statusCode()).isEqualTo(200);
        Instant keptUntil = closedAt.plus(Duration.ofDays(90));
        assertThat(Json.tree(resolved.body()).path("contact").path("keptUntil").asText()).isEqualTo(Json.time(keptUntil));
        assertThat(contactItem(closing).get("expiresAt").n()).as("TTL, set in the closing transaction")
                .isEqualTo(Long.toString(keptUntil.getEpochSecond()));

        CLOCK.advance(Duration.ofDays(90).minusSeconds(1));
        JsonNode stillKept = view(closing, provider(org)).path("report").path("contact");
        assertThat(stillKept.path("email").asText()).isEqualTo("jo@example.org");
        assertThat(stillKept.path("keptUntil").asText()).isEqualTo(Json.time(keptUntil));

        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(contactItem(closing)).as("DynamoDB has not deleted it yet").isNotEmpty();
        for (Map<String, String> insider : List.of(provider(org), agent())) {
            JsonNode view = view(closing, insider);
            assertThat(view.path("report").has("contact")).as("expired: gone for every reader").isFalse();
            assertThat(view.toString()).doesNotContain("jo@example.org").doesNotContain("06 12 34 56 78").doesNotContain("Jo");
        }
        JsonNode open = view(staysOpen, provider(org)).path("report").path("contact");
        assertThat(open.path("phone").asText()).as("an open report keeps it, however old").isEqualTo("06 12 34 56 78");
        assertThat(open.has("keptUntil")).isFalse();
    }

    @Test
    void theRetentionDelay_isConfigurable_andZeroDropsTheContactAtClose() {
        FeedbackHandler immediate = FeedbackFixture.start(CLOCK, TestBearer.FAKE, Duration.ZERO).handler;
        String org = "zero-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(open311(apiKey(org), feedback.service(org), "45.74", "4.84").body()).get(0).path("service_request_id").asText();

        ApiResponse rejected = immediate.handle(TestRequests.event("POST", "/reports/" + id + "/status", provider(org), Map.of(),
                "{\"status\":\"REJECTED\",\"reason\":\"hors périmètre\"}"));

        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(contactItem(id).get("expiresAt").n()).isEqualTo(Long.toString(CLOCK.instant().getEpochSecond()));
        assertThat(view(id, provider(org)).path("report").has("contact")).isFalse();
    }

    @Test
    void theDelay_isReadAsWholeDays_defaulting_to90_andABadValueStopsTheFunctionAtInit() {
        assertThat(Wiring.contactRetention(null)).isEqualTo(Duration.ofDays(90));
        assertThat(Wiring.contactRetention(" 30 ")).isEqualTo(Duration.ofDays(30));
        assertThat(Wiring.contactRetention("0")).isEqualTo(Duration.ZERO);
        for (String bad : List.of("", "-1", "90d", "1.5", "999999")) {
            assertThatThrownBy(() -> Wiring.contactRetention(bad)).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("CONTACT_RETENTION_DAYS");
        }
    }

    @Test
    void simultaneousClosings_closeOnce_andSetTheContactsExpiryWithTheWinningMove() {
        String org = "race-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(open311(apiKey(org), feedback.service(org), "45.75", "4.85").body()).get(0).path("service_request_id").asText();

        var outcomes = Concurrently.run(8, i -> () -> feedback.send("POST", "/reports/" + id + "/status", provider(org), Map.of(),
                i % 2 == 0 ? "{\"status\":\"RESOLVED\"}" : "{\"status\":\"REJECTED\",\"reason\":\"doublon\"}").statusCode());

        assertThat(outcomes).filteredOn(o -> o.value() == 200).hasSize(1);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(200, 409, 422));
        JsonNode history = view(id, provider(org)).path("history");
        assertThat(history).hasSize(2);
        Instant closedAt = Instant.parse(history.get(1).path("at").asText());
        assertThat(contactItem(id).get("expiresAt").n()).isEqualTo(Long.toString(closedAt.plus(Duration.ofDays(90)).getEpochSecond()));
    }

    private static Map<String, AttributeValue> contactItem(String reportId) {
        return feedback.dynamo().getItem(g -> g.tableName(TABLE).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS("REPORT#" + reportId), "sk", AttributeValue.fromS("REPORT#CONTACT")))).item();
    }

    private static JsonNode view(String id, Map<String, String> who) {
        ApiResponse response = feedback.send("GET", "/reports/" + id, who, Map.of(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private static String apiKey(String org) {
        return Json.tree(feedback.send("POST", "/organisations/" + org + "/open311-keys", provider(org), Map.of(), "{\"name\":\"Appli\"}").body())
                .path("apiKey").asText();
    }

    private static ApiResponse open311(String apiKey, String service, String lat, String lon) {
        ApiResponse filed = feedback.send("POST", "/open311/v2/requests.json", Map.of(),
                new HashMap<>(Map.of("content-type", "application/x-www-form-urlencoded")),
                FeedbackFixture.form("api_key", apiKey, "service_code", service, "lat", lat, "long", lon,
                        "description", "Dépôt sauvage au coin de la rue", "email", "jo@example.org", "phone", "06 12 34 56 78",
                        "first_name", "Jo"));
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        return filed;
    }


}
