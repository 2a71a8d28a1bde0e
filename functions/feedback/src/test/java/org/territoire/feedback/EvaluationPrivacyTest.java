package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Who wrote an evaluation, and who can tell: handles instead of ids, through the handler, against the local endpoint. */
class EvaluationPrivacyTest {
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
    }

    @Test
    void theList_showsHandles_neverAuthorIds_evenInItsPageTokens_andTheAuthorSeesMine() {
        String service = feedback.service("mairie");
        String author = "author-" + UUID.randomUUID();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add("other-" + UUID.randomUUID());
            assertThat(feedback.rate(others.get(i), service, 1 + i).statusCode()).isEqualTo(201);
        }
        assertThat(feedback.rate(author, service, 5).statusCode()).isEqualTo(201);

        List<JsonNode> seen = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations?limit=2"
                    + (token == null ? "" : "&nextToken=" + token), resident(author), null).body());
            page.path("items").forEach(seen::add);
            token = page.path("nextToken").isMissingNode() ? null : page.path("nextToken").asText();
            if (token != null) {
                tokens.add(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
            }
        } while (token != null);

        assertThat(seen).hasSize(5);
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.has("authorId")).isFalse();
            assertThat(e.path("handle").asText()).matches("[A-Za-z0-9_-]{22}");
        });
        assertThat(seen.stream().map(e -> e.path("handle").asText()).distinct()).hasSize(5);
        assertThat(seen).filteredOn(e -> e.path("mine").asBoolean()).singleElement()
                .satisfies(e -> assertThat(e.path("rating").asInt()).isEqualTo(5));
        assertThat(tokens).isNotEmpty().allSatisfy(t -> {
            assertThat(t).doesNotContain(author);
            others.forEach(o -> assertThat(t).doesNotContain(o));
        });
        String everything = seen.toString() + tokens;
        assertThat(everything).doesNotContain(author);
        others.forEach(o -> assertThat(everything).doesNotContain(o));
    }

    @Test
    void aHandle_isStableWithinAService_butNotLinkableAcrossServices() {
        String first = feedback.service("mairie");
        String second = feedback.service("mairie");
        String author = "stable-" + UUID.randomUUID();
        feedback.rate(author, first, 4);
        feedback.rate(author, second, 4);
        String handle = mine(author, first).path("handle").asText();

        assertThat(mine(author, second).path("handle").asText()).isNotEqualTo(handle);
        assertThat(feedback.send("DELETE", "/services/" + first + "/evaluations/mine", resident(author), null).statusCode()).isEqualTo(204);
        feedback.rate(author, first, 2);
        assertThat(mine(author, first).path("handle").asText()).as("the same person, the same service").isEqualTo(handle);
        assertThat(mine(author, first).path("mine").asBoolean()).isTrue();
        assertThat(mine(author, first).has("authorId")).isFalse();
    }

    @Test
    void operatorsAndAgents_addressAnEvaluationByItsHandle_notByTheAuthorsId() {
        String org = "handle-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String author = "cyclist-" + UUID.randomUUID();
        feedback.rate(author, service, 2);
        String handle = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations", resident("reader"), null).body())
                .path("items").get(0).path("handle").asText();

        ApiResponse byId = feedback.send("POST", "/services/" + service + "/evaluations/" + author + "/reply", provider(org), "{\"reply\":\"hi\"}");
        assertThat(byId.statusCode()).isEqualTo(404);
        assertThat(Json.tree(byId.body()).path("detail").asText()).as("the detail names nothing the request sent").doesNotContain(author);
        ApiResponse reply = feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Merci, nous corrigeons.\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(Json.tree(reply.body()).path("handle").asText()).isEqualTo(handle);
        assertThat(reply.body()).doesNotContain(author);
        assertThat(mine(author, service).path("reply").asText()).isEqualTo("Merci, nous corrigeons.");

        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + author + "/hide", agent(), "{\"reason\":\"x\"}").statusCode())
                .isEqualTo(404);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/hide", agent(), "{\"reason\":\"off topic\"}")
                .statusCode()).isEqualTo(204);
        assertThat(mine(author, service).path("hidden").asBoolean()).isTrue();
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Still found once hidden\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void anEvaluationStoredBeforeHandles_isRepliedToAndHidden_byTheHandleTheListShows_andGetsItStored() {
        String org = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String author = "early-" + UUID.randomUUID();
        assertThat(feedback.rate(author, service, 2).statusCode()).isEqualTo(201);
        // As it was stored before handles existed: no handle, so not in the handles' index either.
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("SERVICE#" + service), "sk", AttributeValue.fromS("EVAL#" + author));
        feedback.dynamo().updateItem(u -> u.tableName(FeedbackFixture.TABLE).key(key).updateExpression("REMOVE handle, gsi2pk"));
        String handle = Json.tree(feedback.send("GET", "/services/" + service + "/evaluations", resident("reader"), null).body())
                .path("items").get(0).path("handle").asText();
        assertThat(handle).matches("[A-Za-z0-9_-]{22}");

        ApiResponse reply = feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Merci pour ce retour.\"}");

        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(Json.tree(reply.body()).path("handle").asText()).isEqualTo(handle);
        var stored = feedback.dynamo().getItem(g -> g.tableName(FeedbackFixture.TABLE).consistentRead(true).key(key)).item();
        assertThat(stored.get("handle").s()).as("the handle is stored once found").isEqualTo(handle);
        assertThat(stored.get("gsi2pk").s()).isEqualTo("EVALS#H#" + service + "#" + handle);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/hide", agent(), "{\"reason\":\"hors sujet\"}")
                .statusCode()).isEqualTo(204);
        assertThat(mine(author, service).path("hidden").asBoolean()).isTrue();
        assertThat(mine(author, service).path("reply").asText()).isEqualTo("Merci pour ce retour.");
    }

    @Test
    void aHiddenEvaluationStoredBeforeHandles_isStillRepliedTo_byItsHandle() {
        String org = "legacyh-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String author = "early-" + UUID.randomUUID();
        assertThat(feedback.rate(author, service, 1).statusCode()).isEqualTo(201);
        String handle = feedback.handle(service, author);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/hide", agent(), "{\"reason\":\"insulte\"}")
                .statusCode()).isEqualTo(204);
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("SERVICE#" + service), "sk", AttributeValue.fromS("EVAL#" + author));
        feedback.dynamo().updateItem(u -> u.tableName(FeedbackFixture.TABLE).key(key).updateExpression("REMOVE handle, gsi2pk"));

        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Nous sommes désolés.\"}").statusCode()).isEqualTo(200);
        assertThat(feedback.send("POST", "/services/" + service + "/evaluations/" + "A".repeat(22) + "/reply", provider(org),
                "{\"reply\":\"Personne\"}").statusCode()).as("a handle nobody has").isEqualTo(404);
    }

    private static JsonNode mine(String author, String service) {
        ApiResponse response = feedback.send("GET", "/services/" + service + "/evaluations/mine", resident(author), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }



}
