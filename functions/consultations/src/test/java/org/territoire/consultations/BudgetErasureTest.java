package org.territoire.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.consultations.budget.BudgetService;
import org.territoire.consultations.store.DynamoConsultationsPersonalData;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A deleted account's budget ballot and projects: exported while it lives, unlinked at its erasure, still counted. */
class BudgetErasureTest {
    private static final String TABLE = "ConsultationsTable";

    @Test
    void erasure_movesTheBallotToARandomPseudonym_keepsTheTotals_andUnlinksTheProjectsAuthor() {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        var dynamo = LocalAws.shared().dynamoDb();
        Wiring wiring = Wiring.of(dynamo, TABLE, clock, PaginationKey.load());
        var handler = new ConsultationsHandler(wiring.consultations(), wiring.proposals(), wiring.budgets(), wiring.idempotency());
        String person = "leaving-" + UUID.randomUUID();
        Instant now = clock.instant();
        String id = Json.tree(send(handler, "POST", "/budgets", agent(), """
                {"title":"Budget","description":"Budget de test","amount":100000,"rule":{"kind":"KNAPSACK"},
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now, now.plusSeconds(60), now.plusSeconds(120), now.plus(Duration.ofDays(1)))).body()).path("id").asText();
        send(handler, "POST", "/budgets/" + id + "/schedule", agent(), null);
        String project = Json.tree(send(handler, "POST", "/budgets/" + id + "/projects", resident(person), """
                {"title":"Une fontaine","description":"Une fontaine d'eau potable","location":{"latitude":45.76,"longitude":4.83},"cost":5000}""")
                .body()).path("id").asText();
        clock.advance(Duration.ofSeconds(60));
        send(handler, "PUT", "/budgets/" + id + "/projects/" + project + "/review", agent(), "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":5000}");
        clock.advance(Duration.ofSeconds(60));
        send(handler, "PUT", "/budgets/" + id + "/ballot", resident(person), "{\"projectIds\":[\"" + project + "\"]}");
        assertThat(send(handler, "POST", "/budgets/" + id + "/ballot/confirm", resident(person), null).statusCode()).isEqualTo(200);

        assertThat(drafter(id, person)).as("confirmed: no marker names the voter any more").isFalse();
        String hesitant = "hesitant-" + java.util.UUID.randomUUID();
        send(handler, "PUT", "/budgets/" + id + "/ballot", resident(hesitant), "{\"projectIds\":[\"" + project + "\"]}");
        assertThat(drafter(id, hesitant)).as("a draft started, for the reminder").isTrue();

        var personal = new DynamoConsultationsPersonalData(dynamo, TABLE);
        JsonNode exported = Json.MAPPER.valueToTree(personal.export(person));
        assertThat(exported.path("budgetBallots").findValuesAsText("budgetId")).containsExactly(id);
        assertThat(exported.path("budgetProjects").findValuesAsText("id")).containsExactly(project);

        Map<String, Integer> erased = personal.erase(person, clock.instant());

        assertThat(erased).containsEntry("ballot", 1).containsEntry("budget_project", 1);
        assertThat(personal.erase(hesitant, clock.instant())).containsEntry("ballot", 1).containsEntry("budget_drafter", 1);
        assertThat(drafter(id, hesitant)).as("erased with the account").isFalse();
        String pseudonym = BudgetService.pseudonym(id, person);
        assertThat(dynamo.getItem(g -> g.tableName(TABLE).consistentRead(true).key(Map.of("pk", AttributeValue.fromS("BUDGET#" + id),
                "sk", AttributeValue.fromS("BALLOT#" + pseudonym)))).hasItem()).isFalse();
        JsonNode participation = Json.tree(send(handler, "GET", "/budgets/" + id + "/participation", agent(), null).body());
        assertThat(participation.path("confirmed").asLong()).as("still counted").isEqualTo(1);
        JsonNode after = Json.MAPPER.valueToTree(personal.export(person));
        assertThat(after.path("budgetBallots")).isEmpty();
        assertThat(after.path("budgetProjects")).isEmpty();
        assertThat(send(handler, "GET", "/budgets/" + id + "/projects/" + project, resident("someone"), null).body()).contains("Une fontaine");
        assertThat(send(handler, "PUT", "/budgets/" + id + "/ballot", resident(person), "{\"projectIds\":[]}").statusCode())
                .as("the deleted account's token outlives it: refused").isEqualTo(403);
    }

    private static ApiResponse send(ConsultationsHandler handler, String method, String path, Map<String, String> claims, String body) {
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), Map.of(), Map.of(), body, claims));
    }

    private boolean drafter(String budgetId, String accountId) {
        return LocalAws.shared().dynamoDb().getItem(g -> g.tableName(TABLE).consistentRead(true).key(Map.of("pk", AttributeValue.fromS("BUDGET#" + budgetId),
                "sk", AttributeValue.fromS("DRAFTER#" + accountId)))).hasItem();
    }
}
