package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** Issue reports and their workflow, through the handler, against the local endpoint. */
class ReportApiTest {
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
    }

    @Test
    void aReport_isRoutedToTheOperator_andMovesThroughItsWorkflow_withItsHistory() {
        String org = "voirie-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        JsonNode report = Json.tree(report("alice", service, 45.7640, 4.8357).body());
        String id = report.path("id").asText();
        assertThat(report.path("organisationId").asText()).isEqualTo(org);
        assertThat(report.path("status").asText()).isEqualTo("OPEN");

        assertThat(status(resident("alice"), id, "{\"status\":\"RESOLVED\"}").statusCode()).as("residents do not move reports").isEqualTo(403);
        assertThat(status(provider("other-org"), id, "{\"status\":\"ACKNOWLEDGED\"}").statusCode()).isEqualTo(403);
        assertThat(status(provider(org), id, "{\"status\":\"ACKNOWLEDGED\",\"note\":\"Merci, nous regardons.\"}").statusCode()).isEqualTo(200);
        assertThat(status(provider(org), id, "{\"status\":\"REJECTED\"}").statusCode()).as("a rejection needs a reason").isEqualTo(400);
        assertThat(status(provider(org), id, "{\"status\":\"IN_PROGRESS\",\"note\":\"Équipe envoyée\"}").statusCode()).isEqualTo(200);
        assertThat(status(agent(), id, "{\"status\":\"RESOLVED\",\"note\":\"Réparé\"}").statusCode()).isEqualTo(200);
        assertThat(status(agent(), id, "{\"status\":\"IN_PROGRESS\"}").statusCode()).as("closed stays closed").isEqualTo(422);

        JsonNode view = Json.tree(feedback.send("GET", "/reports/" + id, resident("bob"), null).body());
        assertThat(view.path("report").path("status").asText()).isEqualTo("RESOLVED");
        assertThat(view.path("history").findValuesAsText("to")).containsExactly("OPEN", "ACKNOWLEDGED", "IN_PROGRESS", "RESOLVED");
        assertThat(view.path("history").get(1).path("note").asText()).isEqualTo("Merci, nous regardons.");
        assertThat(view.path("history").get(3).path("actorRole").asText()).isEqualTo("agent");
        assertThat(view.path("history").get(3).has("actorId")).as("others see the role, not who").isFalse();
        JsonNode inside = Json.tree(feedback.send("GET", "/reports/" + id, agent(), null).body());
        assertThat(inside.path("history").get(3).path("actorId").asText()).isEqualTo("agent-1");

        JsonNode mine = Json.tree(feedback.send("GET", "/reports/mine", resident("alice"), null).body());
        assertThat(mine.path("items").findValuesAsText("id")).contains(id);
        JsonNode resolved = Json.tree(feedback.send("GET", "/organisations/" + org + "/reports?status=RESOLVED", provider(org), null).body());
        assertThat(resolved.path("items").findValuesAsText("id")).containsExactly(id);
        assertThat(feedback.send("GET", "/organisations/" + org + "/reports", provider("other-org"), null).statusCode()).isEqualTo(403);
    }

    @Test
    void openReportsOfTheSameService_within50m_areOfferedAsDuplicates_andCanBeMarkedSo() {
        String org = "eclairage-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String near = Json.tree(report("a", service, 45.76400, 4.83570).body()).path("id").asText();
        String far = Json.tree(report("b", service, 45.76480, 4.83570).body()).path("id").asText();

        JsonNode nearby = Json.tree(feedback.send("GET", "/reports/nearby?serviceId=" + service + "&latitude=45.76430&longitude=4.83570",
                resident("c"), null).body());

        assertThat(nearby.path("items").findValuesAsText("id")).containsExactly(near);
        assertThat(status(provider(org), far, "{\"status\":\"DUPLICATE\",\"duplicateOf\":\"" + near + "\"}").statusCode()).isEqualTo(200);
        assertThat(status(provider(org), near, "{\"status\":\"DUPLICATE\",\"duplicateOf\":\"no-such\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void simultaneousStatusChanges_fromOneStatus_moveTheReportOnce() {
        String org = "proprete-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(report("a", feedback.service(org), 45.76, 4.83).body()).path("id").asText();

        var outcomes = Concurrently.run(10, i -> () -> status(provider(org), id,
                "{\"status\":\"" + (i % 2 == 0 ? "ACKNOWLEDGED" : "IN_PROGRESS") + "\"}").statusCode());

        assertThat(outcomes).filteredOn(o -> o.value() == 200).hasSizeGreaterThanOrEqualTo(1);
        JsonNode history = Json.tree(feedback.send("GET", "/reports/" + id, resident("x"), null).body()).path("history");
        // Every accepted change is one step whose "from" is the status the previous step reached.
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).path("from").asText()).isEqualTo(history.get(i - 1).path("to").asText());
        }
        assertThat(history.size() - 1).isEqualTo((int) outcomes.stream().filter(o -> o.value() == 200).count());
    }

    @Test
    void followers_areCountedOncePerPerson_evenWhenTheyFollowAtOnce() {
        String id = Json.tree(report("a", feedback.service("mairie"), 45.76, 4.83).body()).path("id").asText();

        var same = Concurrently.run(8, i -> () -> feedback.send("POST", "/reports/" + id + "/follow", resident("fan"), null).statusCode());
        var others = Concurrently.run(12, i -> () -> feedback.send("POST", "/reports/" + id + "/follow", resident("f" + i), null).statusCode());

        assertThat(same).filteredOn(o -> o.value() == 204).hasSize(1);
        assertThat(others).allSatisfy(o -> assertThat(o.value()).isEqualTo(204));
        assertThat(Json.tree(feedback.send("GET", "/reports/" + id, resident("x"), null).body()).path("report").path("followers").asLong())
                .isEqualTo(13);
    }

    @Test
    void aRetriedReport_withTheSameIdempotencyKey_isFiledOnce() {
        String org = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String key = UUID.randomUUID().toString();
        String body = "{\"serviceId\":\"" + service + "\",\"description\":\"Nid-de-poule devant l'école\",\"latitude\":45.76,\"longitude\":4.83}";

        var outcomes = Concurrently.run(10, i -> () -> feedback.handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/reports",
                Map.of("idempotency-key", key), Map.of(), Map.of(), body, resident("alice"))).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(201, 409));
        JsonNode open = Json.tree(feedback.send("GET", "/organisations/" + org + "/reports?status=OPEN", agent(), null).body());
        assertThat(open.path("items").size()).isEqualTo(1);
    }

    @Test
    void theMap_listsPublicReportsInABoundingBox_acrossCells_aPageAtATime_withoutTheirAuthors() {
        // A spot of the globe no other test uses, so that the box holds only this test's reports.
        double lat = -50 + new java.util.Random().nextInt(100_000) / 1000.0;
        double lon = -170 + new java.util.Random().nextInt(300_000) / 1000.0;
        String org = "carte-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String a = Json.tree(report("a", service, lat + 0.001, lon + 0.001).body()).path("id").asText();
        String b = Json.tree(report("b", service, lat + 0.120, lon + 0.090).body()).path("id").asText();
        String closed = Json.tree(report("c", service, lat + 0.060, lon + 0.060).body()).path("id").asText();
        String outside = Json.tree(report("d", service, lat + 0.160, lon + 0.001).body()).path("id").asText();
        assertThat(status(provider(org), closed, "{\"status\":\"RESOLVED\"}").statusCode()).isEqualTo(200);
        String bbox = "bbox=" + lon + "," + lat + "," + (lon + 0.1) + "," + (lat + 0.15);

        JsonNode open = Json.tree(feedback.send("GET", "/reports?" + bbox, Map.of(), null).body());
        JsonNode resolved = Json.tree(feedback.send("GET", "/reports?" + bbox + "&status=resolved", Map.of(), null).body());

        assertThat(open.path("items").findValuesAsText("id")).containsExactlyInAnyOrder(a, b).doesNotContain(outside);
        assertThat(open.path("items").findValues("authorId")).isEmpty();
        assertThat(resolved.path("items").findValuesAsText("id")).containsExactly(closed);
        List<String> paged = new java.util.ArrayList<>();
        String token = null;
        do {
            JsonNode page = Json.tree(feedback.send("GET", "/reports?" + bbox + "&limit=1" + (token == null ? "" : "&nextToken=" + token),
                    Map.of(), null).body());
            paged.addAll(page.path("items").findValuesAsText("id"));
            token = page.path("nextToken").isMissingNode() ? null : page.path("nextToken").asText();
        } while (token != null);
        assertThat(paged).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void theMap_refusesBoxesItCannotServe_namingTheParameter() {
        assertThat(fields(feedback.send("GET", "/reports?bbox=4.0,45.0,5.0,46.0", Map.of(), null))).containsExactly("bbox");
        assertThat(fields(feedback.send("GET", "/reports?bbox=4.0,45.0", Map.of(), null))).containsExactly("bbox");
        assertThat(fields(feedback.send("GET", "/reports?bbox=4.8,45.7,4.9,45.8&status=lost", Map.of(), null))).containsExactly("status");
        assertThat(fields(feedback.send("GET", "/reports", Map.of(), null))).containsExactly("bbox");
    }

    @Test
    void aReport_showsItsAuthor_onlyToTheAuthorTheOperatorAndAgents() {
        String org = "vue-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Json.tree(report("alice", feedback.service(org), 45.7, 4.8).body()).path("id").asText();

        assertThat(Json.tree(feedback.send("GET", "/reports/" + id, resident("alice"), null).body()).path("report").path("authorId").asText()).isEqualTo("alice");
        assertThat(Json.tree(feedback.send("GET", "/reports/" + id, provider(org), null).body()).path("report").path("authorId").asText()).isEqualTo("alice");
        assertThat(Json.tree(feedback.send("GET", "/reports/" + id, resident("bob"), null).body()).path("report").has("authorId")).isFalse();
    }

    @Test
    void aServiceEditedThenRetiredByItsOperator_leavesTheCatalogue_andTakesNoNewReportOrEvaluation() {
        String org = "retire-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String old = Json.tree(report("a", service, 45.7, 4.8).body()).path("id").asText();
        String edit = Json.write(Map.of("name", "Collecte du verre", "kind", "TERRITORIAL", "category", "waste-management",
                "districts", List.of("centre", "gare")));

        assertThat(feedback.send("PUT", "/services/" + service, provider("other-org"), edit).statusCode()).isEqualTo(403);
        assertThat(Json.tree(feedback.send("PUT", "/services/" + service, provider(org), edit).body()).path("name").asText()).isEqualTo("Collecte du verre");
        assertThat(feedback.send("DELETE", "/services/" + service, provider(org), null).statusCode()).isEqualTo(200);

        assertThat(Json.tree(feedback.send("GET", "/services/" + service, resident("x"), null).body()).has("retiredAt")).isTrue();
        assertThat(feedback.send("GET", "/open311/v2/services/" + service + ".json", Map.of(), null).statusCode()).isEqualTo(404);
        assertThat(Json.tree(feedback.send("GET", "/open311/v2/services.json", Map.of(), null).body()).findValuesAsText("service_code"))
                .as("the catalogue's indexes no longer hold it").doesNotContain(service);
        assertThat(feedback.send("POST", "/reports", resident("b"), "{\"serviceId\":\"" + service
                + "\",\"description\":\"Encore un problème ici\",\"address\":\"1 rue X\"}").statusCode()).isEqualTo(400);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations", resident("b"), "{\"rating\":4}").statusCode()).isEqualTo(409);
        assertThat(feedback.send("PUT", "/services/" + service, agent(), edit).statusCode()).isEqualTo(409);
        assertThat(feedback.send("GET", "/reports/" + old, resident("a"), null).statusCode()).as("what was said stays").isEqualTo(200);
    }

    @Test
    void badInput_isNamed_andNothingIsFiled() {
        String org = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);

        ApiResponse short_ = feedback.send("POST", "/reports", resident("a"), "{\"serviceId\":\"" + service + "\",\"description\":\"short\",\"address\":\"1 rue X\"}");
        ApiResponse nowhere = feedback.send("POST", "/reports", resident("a"), "{\"serviceId\":\"" + service + "\",\"description\":\"A long enough text\"}");
        ApiResponse offMap = feedback.send("POST", "/reports", resident("a"),
                "{\"serviceId\":\"" + service + "\",\"description\":\"A long enough text\",\"latitude\":95,\"longitude\":4.8}");
        ApiResponse unknown = feedback.send("POST", "/reports", resident("a"), "{\"serviceId\":\"nope\",\"description\":\"A long enough text\",\"address\":\"1 rue X\"}");

        assertThat(fields(short_)).containsExactly("description");
        assertThat(fields(nowhere)).containsExactly("address");
        assertThat(fields(offMap)).containsExactly("latitude");
        assertThat(fields(unknown)).containsExactly("serviceId");
        assertThat(Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", agent(), null).body()).path("items").size()).isZero();
    }

    private static List<String> fields(ApiResponse response) {
        assertThat(response.statusCode()).isEqualTo(400);
        return Json.tree(response.body()).path("errors").findValuesAsText("field");
    }

    private static ApiResponse report(String user, String service, double lat, double lon) {
        ApiResponse response = feedback.send("POST", "/reports", resident(user), "{\"serviceId\":\"" + service
                + "\",\"description\":\"Lampadaire en panne depuis trois jours\",\"latitude\":" + lat + ",\"longitude\":" + lon + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static ApiResponse status(Map<String, String> who, String id, String body) {
        return feedback.send("POST", "/reports/" + id + "/status", who, body);
    }


}
