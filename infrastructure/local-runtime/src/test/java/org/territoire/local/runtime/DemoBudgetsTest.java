package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/** The demo's participatory budgets, loaded through the API as the run command does, read back over HTTP. */
class DemoBudgetsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String resident;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        String agent = platform.issuer().mint(LocalIssuer.User.of("agent-demo", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre"));
        assertThat(new DemoData(platform).budgets(agent)).isEqualTo(2);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aBudgetInItsVote_hasADozenCostedProjectsOnTheMap_andTheResidentsDraftIsWaiting() throws Exception {
        JsonNode vote = budget("VOTE");
        JsonNode projects = get("/budgets/" + vote.path("id").asText() + "/projects").path("items");
        var onBallot = new java.util.ArrayList<JsonNode>();
        projects.forEach(p -> {
            if (p.path("status").asText().equals("FEASIBLE")) {
                onBallot.add(p);
            }
        });
        assertThat(onBallot).hasSize(12).allSatisfy(p -> {
            assertThat(p.path("cost").asLong()).isPositive();
            assertThat(p.path("location").path("latitude").asDouble()).isBetween(45.7, 45.8);
        });
        assertThat(projects.findValuesAsText("status")).contains("MERGED", "UNFEASIBLE");
        JsonNode mine = get("/budgets/" + vote.path("id").asText() + "/ballot");
        assertThat(mine.path("status").asText()).isEqualTo("DRAFT");
        assertThat(mine.path("remaining").asLong()).isEqualTo(300_000 - mine.path("total").asLong());
    }

    @Test
    void aPastBudget_inItsFollowUp_hasItsWinnersWithDatedUpdates() throws Exception {
        JsonNode past = budget("FOLLOW_UP");
        String id = past.path("id").asText();
        JsonNode results = get("/budgets/" + id + "/results");
        assertThat(results.path("projects").findValuesAsText("outcome")).containsExactly("SELECTED", "SELECTED", "SKIPPED_DOES_NOT_FIT");
        String first = results.path("projects").get(0).path("projectId").asText();
        JsonNode project = get("/budgets/" + id + "/projects/" + first);
        assertThat(project.path("implementation").path("status").asText()).isEqualTo("DONE");
        assertThat(project.path("updates").findValuesAsText("date")).containsExactly("2026-04-10", "2026-06-25");
    }

    private static JsonNode budget(String phase) throws Exception {
        for (JsonNode b : get("/budgets?limit=100").path("items")) {
            if (b.path("phase").asText().equals(phase)) {
                return b;
            }
        }
        throw new AssertionError("no budget in phase " + phase);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + resident).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }
}
