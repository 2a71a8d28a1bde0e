package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** Who wrote an evaluation, and who can tell: handles instead of ids, through the handler, against the local endpoint. */
class EvaluationPrivacyTest {
    private static final String TABLE = "FeedbackTable";
    private static FeedbackHandler handler;

    @BeforeAll
    static void start() {
        handler = FeedbackHandler.Wiring.of(LocalAws.shared().dynamoDb(), TABLE, Clock.systemUTC(), PaginationKey.load(),
                TestBearer.FAKE).handler();
    }

    @Test
    void theList_showsHandles_neverAuthorIds_evenInItsPageTokens_andTheAuthorSeesMine() {
        String service = service("mairie");
        String author = "author-" + UUID.randomUUID();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add("other-" + UUID.randomUUID());
            assertThat(rate(others.get(i), service, 1 + i).statusCode()).isEqualTo(201);
        }
        assertThat(rate(author, service, 5).statusCode()).isEqualTo(201);

        List<JsonNode> seen = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = Json.tree(send("GET", "/services/" + service + "/evaluations?limit=2"
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
        String first = service("mairie");
        String second = service("mairie");
        String author = "stable-" + UUID.randomUUID();
        rate(author, first, 4);
        rate(author, second, 4);
        String handle = mine(author, first).path("handle").asText();

        assertThat(mine(author, second).path("handle").asText()).isNotEqualTo(handle);
        assertThat(send("DELETE", "/services/" + first + "/evaluations/mine", resident(author), null).statusCode()).isEqualTo(204);
        rate(author, first, 2);
        assertThat(mine(author, first).path("handle").asText()).as("the same person, the same service").isEqualTo(handle);
        assertThat(mine(author, first).path("mine").asBoolean()).isTrue();
        assertThat(mine(author, first).has("authorId")).isFalse();
    }

    @Test
    void operatorsAndAgents_addressAnEvaluationByItsHandle_notByTheAuthorsId() {
        String org = "handle-" + UUID.randomUUID().toString().substring(0, 8);
        String service = service(org);
        String author = "cyclist-" + UUID.randomUUID();
        rate(author, service, 2);
        String handle = Json.tree(send("GET", "/services/" + service + "/evaluations", resident("reader"), null).body())
                .path("items").get(0).path("handle").asText();

        ApiResponse byId = send("POST", "/services/" + service + "/evaluations/" + author + "/reply", provider(org), "{\"reply\":\"hi\"}");
        assertThat(byId.statusCode()).isEqualTo(404);
        assertThat(Json.tree(byId.body()).path("detail").asText()).as("the detail names nothing the request sent").doesNotContain(author);
        ApiResponse reply = send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Merci, nous corrigeons.\"}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        assertThat(Json.tree(reply.body()).path("handle").asText()).isEqualTo(handle);
        assertThat(reply.body()).doesNotContain(author);
        assertThat(mine(author, service).path("reply").asText()).isEqualTo("Merci, nous corrigeons.");

        assertThat(send("POST", "/services/" + service + "/evaluations/" + author + "/hide", agent(), "{\"reason\":\"x\"}").statusCode())
                .isEqualTo(404);
        assertThat(send("POST", "/services/" + service + "/evaluations/" + handle + "/hide", agent(), "{\"reason\":\"off topic\"}")
                .statusCode()).isEqualTo(204);
        assertThat(mine(author, service).path("hidden").asBoolean()).isTrue();
        assertThat(send("POST", "/services/" + service + "/evaluations/" + handle + "/reply", provider(org),
                "{\"reply\":\"Still found once hidden\"}").statusCode()).isEqualTo(200);
    }

    private static JsonNode mine(String author, String service) {
        ApiResponse response = send("GET", "/services/" + service + "/evaluations/mine", resident(author), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private static String service(String organisation) {
        ApiResponse created = send("POST", "/services", agent(), Json.write(Map.of("name", "Pseudonymous " + UUID.randomUUID(),
                "kind", "TERRITORIAL", "category", "culture", "organisationId", organisation, "districts", List.of("centre"))));
        return Json.tree(created.body()).path("id").asText();
    }

    private static ApiResponse rate(String user, String service, int rating) {
        return send("POST", "/services/" + service + "/evaluations", resident(user), "{\"rating\":" + rating + "}");
    }

    private static ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        int q = path.indexOf('?');
        Map<String, String> query = new java.util.HashMap<>();
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv[1]);
            }
            path = path.substring(0, q);
        }
        return handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), method, path, Map.of(), query, Map.of(), body, claims));
    }
}
