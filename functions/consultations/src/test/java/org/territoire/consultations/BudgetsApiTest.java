package org.territoire.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** Participatory budgets through the real handler and the DynamoDB adapter, against the local endpoint, with a clock the test moves. */
class BudgetsApiTest {
    private MutableClock clock;
    private ConsultationsHandler handler;

    @BeforeEach
    void wire() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Wiring wiring = Wiring.of(LocalAws.shared().dynamoDb(), "ConsultationsTable", clock, PaginationKey.load());
        handler = new ConsultationsHandler(wiring.consultations(), wiring.proposals(), wiring.budgets(), wiring.idempotency());
    }

    @Test
    void theCycle_byTheClock_fromProposalsToFollowUp_withOpenData() {
        Instant now = clock.instant();
        String body = """
                {"title":"Budget participatif du centre","description":"50 000 € pour le quartier","district":"centre","amount":50000,
                 "rule":{"kind":"KNAPSACK","minSharePercent":50},"allowChange":true,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.plusSeconds(60), now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(20)), now.plus(Duration.ofDays(30)));
        ApiResponse created = send("POST", "/budgets", agent(), body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.tree(created.body()).path("id").asText();
        assertThat(send("POST", "/budgets", resident("r1", "centre"), body).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/budgets/" + id, resident("r1", "centre"), null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/budgets/" + id + "/schedule", agent(), null).statusCode()).isEqualTo(200);
        assertThat(phase(id)).isEqualTo("SCHEDULED");
        clock.advance(Duration.ofMinutes(2));
        assertThat(phase(id)).isEqualTo("PROPOSALS");

        List<String> projects = new ArrayList<>();
        long[] costs = {30_000, 25_000, 10_000};
        for (int i = 0; i < costs.length; i++) {
            ApiResponse p = send("POST", "/budgets/" + id + "/projects", resident("author-" + i, "centre"), """
                    {"title":"Projet %d","description":"Un projet pour le centre-ville","location":{"latitude":45.76,"longitude":4.83},"cost":%d}"""
                    .formatted(i, costs[i]));
            assertThat(p.statusCode()).as(p.body()).isEqualTo(201);
            assertThat(p.body()).doesNotContain("author-");
            projects.add(Json.tree(p.body()).path("id").asText());
        }
        assertThat(send("POST", "/budgets/" + id + "/projects", resident("g", "gare"), """
                {"title":"Ailleurs","description":"Un projet d'un autre quartier","location":{"latitude":45,"longitude":4},"cost":10}""")
                .statusCode()).as("only residents of the scope").isEqualTo(403);

        clock.advance(Duration.ofDays(10));
        for (int i = 0; i < costs.length; i++) {
            ApiResponse r = send("PUT", "/budgets/" + id + "/projects/" + projects.get(i) + "/review", agent(),
                    "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":" + costs[i] + "}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        assertThat(send("PUT", "/budgets/" + id + "/projects/" + projects.get(0) + "/review", resident("r1", "centre"),
                "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":1}").statusCode()).isEqualTo(403);

        clock.advance(Duration.ofDays(10));
        assertThat(phase(id)).isEqualTo("VOTE");
        // a: 30k + 10k; b: 25k + 10k; c: 30k alone; d: a draft never confirmed.
        ballot("a", id, projects.get(0), projects.get(2));
        ballot("b", id, projects.get(1), projects.get(2));
        ballot("c", id, projects.get(0));
        assertThat(send("PUT", "/budgets/" + id + "/ballot", resident("d", "centre"), "{\"projectIds\":[\"" + projects.get(1) + "\"]}")
                .statusCode()).isEqualTo(200);
        ApiResponse over = send("PUT", "/budgets/" + id + "/ballot", resident("e", "centre"),
                "{\"projectIds\":[\"" + projects.get(0) + "\",\"" + projects.get(1) + "\"]}");
        assertThat(Json.tree(over.body()).path("remaining").asLong()).isEqualTo(-5_000);
        ApiResponse refused = send("POST", "/budgets/" + id + "/ballot/confirm", resident("e", "centre"), null);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(Json.tree(refused.body()).path("total").asLong()).isEqualTo(55_000);
        JsonNode participation = Json.tree(send("GET", "/budgets/" + id + "/participation", agent(), null).body());
        assertThat(participation.path("started").asLong()).isEqualTo(5);
        assertThat(participation.path("confirmed").asLong()).isEqualTo(3);
        assertThat(participation.path("confirmedShare").asDouble()).isEqualTo(60.0);

        clock.advance(Duration.ofDays(10));
        assertThat(send("GET", "/budgets/" + id + "/results", resident("a", "centre"), null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/budgets/" + id + "/publish-results", agent(), null).statusCode()).isEqualTo(200);
        JsonNode results = Json.tree(send("GET", "/budgets/" + id + "/results", resident("a", "centre"), null).body());
        // p0 and p2 have 2 votes; p2 is cheaper so ranks first; 10k + 30k fit in 50k; p1 (1 vote, 25k) no longer fits.
        assertThat(results.path("projects").findValuesAsText("projectId")).containsExactly(projects.get(2), projects.get(0), projects.get(1));
        assertThat(results.path("projects").findValuesAsText("outcome")).containsExactly("SELECTED", "SELECTED", "SKIPPED_DOES_NOT_FIT");
        assertThat(results.path("spent").asLong()).isEqualTo(40_000);
        ApiResponse csv = send("GET", "/budgets/" + id + "/export", resident("a", "centre"), null);
        assertThat(csv.headers().get("content-type")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("budget_id,district,project_id,title,cost_eur,votes,rank,selected,outcome\r\n")
                .contains(id + ",centre," + projects.get(2) + ",Projet 2,10000,2,1,true,SELECTED");

        ApiResponse update = send("POST", "/budgets/" + id + "/projects/" + projects.get(2) + "/updates", agent(),
                "{\"date\":\"2026-01-15\",\"text\":\"Début des travaux\"}");
        assertThat(update.statusCode()).as(update.body()).isEqualTo(201);
        assertThat(send("PUT", "/budgets/" + id + "/projects/" + projects.get(2) + "/implementation", agent(),
                "{\"status\":\"IN_PROGRESS\",\"percent\":30}").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/budgets/" + id + "/projects/" + projects.get(1) + "/updates", agent(),
                "{\"date\":\"2026-01-15\",\"text\":\"Rien\"}").statusCode()).as("not selected").isEqualTo(422);
        assertThat(send("POST", "/budgets/" + id + "/next-phase", agent(), null).statusCode()).isEqualTo(200);
        assertThat(phase(id)).isEqualTo("FOLLOW_UP");
        JsonNode followed = Json.tree(send("GET", "/budgets/" + id + "/projects/" + projects.get(2), resident("z", "gare"), null).body());
        assertThat(followed.path("implementation").path("percent").asInt()).isEqualTo(30);
        assertThat(followed.path("updates").get(0).path("text").asText()).isEqualTo("Début des travaux");
    }

    @Test
    void aConfirmedBallot_changedAndConfirmedAgain_movesTheTotalsByTheDifference_andEachConfirmationHasItsReceipt() {
        var v = voting(true);
        ballot("changer", v.id(), v.projects().get(0));
        String first = Json.tree(send("GET", "/budgets/" + v.id() + "/ballot", resident("changer", "centre"), null).body()).path("receipt").asText();
        ballot("changer", v.id(), v.projects().get(1));
        JsonNode mine = Json.tree(send("GET", "/budgets/" + v.id() + "/ballot", resident("changer", "centre"), null).body());
        assertThat(mine.path("receipt").asText()).isNotEqualTo(first);
        assertThat(mine.path("status").asText()).isEqualTo("CONFIRMED");
        ApiResponse again = send("POST", "/budgets/" + v.id() + "/ballot/confirm", resident("changer", "centre"), null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.tree(again.body()).path("receipt").asText()).isEqualTo(mine.path("receipt").asText());
        clock.advance(Duration.ofDays(30));
        send("POST", "/budgets/" + v.id() + "/publish-results", agent(), null);
        JsonNode results = Json.tree(send("GET", "/budgets/" + v.id() + "/export", resident("x", "centre"), Map.of("format", "json"), null).body());
        assertThat(results.path("projects").findValuesAsText("projectId")).first().isEqualTo(v.projects().get(1));
        assertThat(results.path("projects").get(0).path("votes").asLong()).isEqualTo(1);
        assertThat(results.path("projects").get(1).path("votes").asLong()).isZero();
        assertThat(results.toString()).doesNotContain("changer");
    }

    private record Voting(String id, List<String> projects) {
    }

    /** A budget of 100 000 € in its vote phase, with two feasible projects of 40 000 €. */
    private Voting voting(boolean allowChange) {
        Instant now = clock.instant();
        String id = Json.tree(send("POST", "/budgets", agent(), """
                {"title":"Budget","description":"Budget de test","district":"centre","amount":100000,"rule":{"kind":"KNAPSACK"},"allowChange":%s,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(allowChange, now, now.plusSeconds(60), now.plusSeconds(120), now.plus(Duration.ofDays(1)))).body()).path("id").asText();
        send("POST", "/budgets/" + id + "/schedule", agent(), null);
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            projects.add(Json.tree(send("POST", "/budgets/" + id + "/projects", resident("author", "centre"), """
                    {"title":"Projet %d","description":"Un projet pour le centre-ville","location":{"latitude":45.76,"longitude":4.83},"cost":40000}"""
                    .formatted(i)).body()).path("id").asText());
        }
        clock.advance(Duration.ofSeconds(60));
        projects.forEach(p -> send("PUT", "/budgets/" + id + "/projects/" + p + "/review", agent(),
                "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":40000}"));
        clock.advance(Duration.ofSeconds(60));
        return new Voting(id, projects);
    }

    private void ballot(String who, String id, String... projects) {
        ApiResponse saved = send("PUT", "/budgets/" + id + "/ballot", resident(who, "centre"),
                "{\"projectIds\":[" + String.join(",", java.util.Arrays.stream(projects).map(p -> "\"" + p + "\"").toList()) + "]}");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        ApiResponse confirmed = send("POST", "/budgets/" + id + "/ballot/confirm", resident(who, "centre"), null);
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(Json.tree(confirmed.body()).path("receipt").asText()).hasSize(36);
    }

    private String phase(String id) {
        return Json.tree(send("GET", "/budgets/" + id, agent(), null).body()).path("phase").asText();
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        return send(method, path, claims, Map.of(), body);
    }

    private ApiResponse send(String method, String path, Map<String, String> claims, Map<String, String> query, String body) {
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), query, Map.of(), body, claims));
    }
}
