package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Evaluations and their summaries, through the handler, against the local endpoint. */
class EvaluationApiTest {
    private static final String TABLE = FeedbackFixture.TABLE;
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
    }

    @Test
    void simultaneousSubmissionsEditsAndWithdrawals_leaveTheSummaryExact() {
        String service = feedback.service("mairie");
        var first = Concurrently.run(50, i -> () -> feedback.rate("r" + i, service, 1 + i % 5).statusCode());
        assertThat(first).allSatisfy(o -> assertThat(o.value()).isEqualTo(201));

        var mixed = Concurrently.run(70, i -> () -> {
            if (i < 20) {
                return feedback.send("PUT", "/services/" + service + "/evaluations/mine", resident("r" + i), "{\"rating\":" + (5 - i % 5) + "}").statusCode();
            } else if (i < 30) {
                return feedback.send("DELETE", "/services/" + service + "/evaluations/mine", resident("r" + i), null).statusCode();
            } else if (i < 50) {
                return feedback.rate("new" + i, service, 1 + i % 5).statusCode();
            } else {
                return feedback.rate("r" + (i - 50), service, 3).statusCode(); // a second evaluation by the same person
            }
        });

        assertThat(mixed).allSatisfy(o -> assertThat(o.value()).isLessThan(500));
        assertThat(mixed.subList(50, 70)).allSatisfy(o -> assertThat(o.value()).isEqualTo(409));
        assertSummaryMatchesStoredEvaluations(service, 60);
    }

    @Test
    void onePersonChangingTheirRatingManyTimesAtOnce_staysOneEvaluation() {
        String service = feedback.service("mairie");
        assertThat(feedback.rate("fickle", service, 1).statusCode()).isEqualTo(201);

        var outcomes = Concurrently.run(12, i -> () -> feedback.send("PUT", "/services/" + service + "/evaluations/mine", resident("fickle"),
                "{\"rating\":" + (1 + i % 5) + "}").statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(200, 409));
        assertSummaryMatchesStoredEvaluations(service, 1);
    }

    @Test
    void hiddenContent_leavesTheListAndTheSummary_butItsAuthorSeesWhy() {
        String service = feedback.service("mairie");
        feedback.rate("polite", service, 4);
        feedback.send("POST", "/services/" + service + "/evaluations", resident("rude"), "{\"rating\":1,\"comment\":\"insults\"}");
        String rude = feedback.handle(service, "rude");

        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + rude + "/hide", resident("polite"), "{\"reason\":\"x\"}")
                .statusCode()).isEqualTo(403);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + rude + "/hide", agent(), "{\"reason\":\"insulting language\"}")
                .statusCode()).isEqualTo(204);

        JsonNode list = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations", resident("polite"), null).body());
        assertThat(list.path("items").findValuesAsText("handle")).containsExactly(feedback.handle(service, "polite"));
        assertThat(list.path("summary").path("count").asLong()).isEqualTo(1);
        JsonNode mine = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations/mine", resident("rude"), null).body());
        assertThat(mine.path("hidden").asBoolean()).isTrue();
        assertThat(mine.path("hiddenReason").asText()).isEqualTo("insulting language");
        assertThat(feedback.send("PUT", "/services/" + service + "/evaluations/mine", resident("rude"), "{\"rating\":2}").statusCode()).isEqualTo(422);
        assertThat(feedback.send("DELETE", "/services/" + service + "/evaluations/mine", resident("rude"), null).statusCode()).isEqualTo(204);
        assertSummaryMatchesStoredEvaluations(service, 1);
    }

    @Test
    void theOperatorReplies_publicly_butNotAnotherOrganisation() {
        String service = feedback.service("asso-velo");
        feedback.rate("cyclist", service, 5);
        String cyclist = feedback.handle(service, "cyclist");

        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + cyclist + "/reply", provider("other-org"), "{\"reply\":\"hi\"}")
                .statusCode()).isEqualTo(403);
        ApiResponse reply = feedback.send("POST", "/services/" + service + "/evaluations/" + cyclist + "/reply", provider("asso-velo"),
                "{\"reply\":\"Merci !\"}");

        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode list = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations", resident("anyone"), null).body());
        assertThat(list.path("items").get(0).path("reply").asText()).isEqualTo("Merci !");
        JsonNode detail = Json.tree(feedback.send("GET", "/services/" + service, resident("anyone"), null).body());
        assertThat(detail.path("summary").path("average").asDouble()).isEqualTo(5.0);
    }

    @Test
    void badInput_isNamed_andNothingIsStored() {
        String service = feedback.service("mairie");

        ApiResponse tooHigh = feedback.send("POST", "/services/" + service + "/evaluations", resident("a"), "{\"rating\":6}");
        ApiResponse tooLong = feedback.send("POST", "/services/" + service + "/evaluations", resident("a"),
                "{\"rating\":3,\"comment\":\"" + "x".repeat(1001) + "\"}");
        ApiResponse unknown = feedback.send("POST", "/services/no-such-service/evaluations", resident("a"), "{\"rating\":3}");
        ApiResponse notResident = feedback.send("POST", "/services/" + service + "/evaluations", agent(), "{\"rating\":3}");

        assertThat(Json.tree(tooHigh.body()).path("errors").get(0).path("field").asText()).isEqualTo("rating");
        assertThat(Json.tree(tooLong.body()).path("errors").get(0).path("field").asText()).isEqualTo("comment");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(notResident.statusCode()).isEqualTo(403);
        assertSummaryMatchesStoredEvaluations(service, 0);
    }

    /** Recomputes the summary from the stored evaluations themselves and compares. */
    private static void assertSummaryMatchesStoredEvaluations(String service, int expectedCount) {
        List<Integer> ratings = new ArrayList<>();
        feedback.dynamo().queryPaginator(q -> q.tableName(TABLE).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :e)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("SERVICE#" + service), ":e", AttributeValue.fromS("EVAL#"))))
                .items().forEach(i -> {
                    if (!i.get("hidden").bool()) {
                        ratings.add(Integer.parseInt(i.get("rating").n()));
                    }
                });
        JsonNode summary = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations", resident("auditor"), null).body()).path("summary");
        assertThat(ratings).hasSize(expectedCount);
        assertThat(summary.path("count").asLong()).isEqualTo(ratings.size());
        for (int star = 1; star <= 5; star++) {
            final int s = star;
            assertThat(summary.path("histogram").get(star - 1).asLong()).as("%d stars", star)
                    .isEqualTo(ratings.stream().filter(r -> r == s).count());
        }
        if (!ratings.isEmpty()) {
            double average = ratings.stream().mapToInt(Integer::intValue).average().orElseThrow();
            assertThat(summary.path("average").asDouble()).isEqualTo(Math.round(average * 100) / 100.0);
        }
    }




}
