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
import org.territoire.feedback.open311.BearerTokens;
import org.territoire.feedback.report.ReportService;
import java.util.concurrent.atomic.AtomicInteger;

/** Open311 GeoReport v2 through the handler, against the local endpoint; api_keys and their authorization. */
class Open311ApiTest {
    private static FeedbackFixture feedback;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
    }

    @Test
    void anApiKey_isIssuedForOneOrganisation_filesRequests_andStopsWorkingWhenRevoked() {
        String org = "app-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        JsonNode issued = Json.tree(feedback.send("POST", "/organisations/" + org + "/open311-keys", provider(org), Map.of(),
                "{\"name\":\"Appli citoyenne\"}").body());
        String apiKey = issued.path("apiKey").asText();
        String keyId = issued.path("key").path("keyId").asText();

        ApiResponse filed = feedback.open311Post(FeedbackFixture.form("api_key", apiKey, "service_code", service, "lat", "45.75", "long", "4.85",
                "description", "Dépôt sauvage au coin de la rue", "email", "jo@example.org", "first_name", "Jo"), null);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = Json.tree(filed.body()).get(0).path("service_request_id").asText();
        var listed = Json.tree(feedback.send("GET", "/organisations/" + org + "/open311-keys", provider(org), Map.of(), null).body());
        assertThat(listed.path("items").findValuesAsText("keyId")).containsExactly(keyId);
        // The secret follows "t311_<keyId>_" and may itself hold underscores.
        String secret = apiKey.substring(("t311_" + keyId + "_").length());
        assertThat(secret).hasSizeGreaterThan(20);
        assertThat(listed.toString()).doesNotContain(secret);

        // The operator sees who to contact; the public request does not show it.
        JsonNode inside = Json.tree(feedback.send("GET", "/reports/" + id, provider(org), Map.of(), null).body()).path("report");
        assertThat(inside.path("contact").path("email").asText()).isEqualTo("jo@example.org");
        assertThat(feedback.send("GET", "/open311/v2/requests/" + id + ".json", Map.of(), Map.of(), null).body()).doesNotContain("jo@example.org");

        assertThat(feedback.send("DELETE", "/organisations/" + org + "/open311-keys/" + keyId, provider("other"), Map.of(), null).statusCode()).isEqualTo(403);
        assertThat(feedback.send("POST", "/organisations/" + org + "/open311-keys", resident("r"), Map.of(), "{\"name\":\"x1\"}").statusCode()).isEqualTo(403);
        assertThat(feedback.send("DELETE", "/organisations/" + org + "/open311-keys/" + keyId, provider(org), Map.of(), null).statusCode()).isEqualTo(204);
        ApiResponse revoked = feedback.open311Post(FeedbackFixture.form("api_key", apiKey, "service_code", service, "address_string", "1 place de la Mairie",
                "description", "Encore un dépôt sauvage"), null);
        assertThat(revoked.statusCode()).isEqualTo(403);
        assertThat(Json.tree(revoked.body()).get(0).path("code").asInt()).isEqualTo(403);
    }

    @Test
    void anApiKey_inThePostsQueryString_isTakenToo_anUnknownServiceCodeIs404_andEveryListedFieldIsPresent() {
        String org = "app-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String apiKey = Json.tree(feedback.send("POST", "/organisations/" + org + "/open311-keys", provider(org), Map.of(),
                "{\"name\":\"Appli\"}").body()).path("apiKey").asText();
        String form = FeedbackFixture.form("service_code", service, "address_string", "5 rue Neuve", "description", "Lampadaire éteint");

        ApiResponse filed = feedback.handler.handle(new org.territoire.shared.http.HttpApiEvent(UUID.randomUUID().toString(), "POST",
                "/open311/v2/requests.json", Map.of("content-type", "application/x-www-form-urlencoded"), Map.of("api_key", apiKey),
                Map.of(), form, Map.of()));
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = Json.tree(filed.body()).get(0).path("service_request_id").asText();

        ApiResponse unknown = feedback.open311Post(FeedbackFixture.form("api_key", apiKey, "service_code", "no-such-service",
                "address_string", "5 rue Neuve", "description", "Lampadaire éteint"), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.tree(unknown.body()).get(0).path("code").asInt()).isEqualTo(404);

        JsonNode request = Json.tree(feedback.send("GET", "/open311/v2/requests/" + id + ".json", Map.of(), Map.of(), null).body()).get(0);
        assertThat(request.has("service_notice") && request.has("expected_datetime") && request.has("address_id")
                && request.has("zipcode") && request.has("media_url") && request.has("lat")).as(request.toString()).isTrue();
        assertThat(request.get("lat").isNull()).isTrue();
        for (JsonNode s : Json.tree(feedback.send("GET", "/open311/v2/services.json", Map.of(), Map.of(), null).body())) {
            assertThat(s.has("description") && s.has("keywords") && s.has("group")).as(s.toString()).isTrue();
        }

        // One jurisdiction here: naming it is fine, naming another is GeoReport's 404.
        ApiResponse ours = feedback.handler.handle(new org.territoire.shared.http.HttpApiEvent(UUID.randomUUID().toString(), "GET",
                "/open311/v2/services.json", Map.of(), Map.of("jurisdiction_id", "territoire"), Map.of(), null, Map.of()));
        assertThat(ours.statusCode()).isEqualTo(200);
        ApiResponse other = feedback.handler.handle(new org.territoire.shared.http.HttpApiEvent(UUID.randomUUID().toString(), "GET",
                "/open311/v2/services.json", Map.of(), Map.of("jurisdiction_id", "elsewhere.example"), Map.of(), null, Map.of()));
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(Json.tree(other.body()).get(0).path("code").asInt()).isEqualTo(404);
        ApiResponse posted = feedback.open311Post(FeedbackFixture.form("api_key", apiKey, "jurisdiction_id", "elsewhere.example",
                "service_code", service, "address_string", "5 rue Neuve", "description", "Lampadaire éteint"), null);
        assertThat(posted.statusCode()).isEqualTo(404);
    }

    @Test
    void aResident_filesWithTheirBearerToken_asThemselves() {
        String service = feedback.service("voirie");
        ApiResponse filed = feedback.open311Post(FeedbackFixture.form("service_code", service, "address_string", "3 rue des Lilas",
                "description", "Trottoir défoncé devant le numéro 3", "attribute[contact_preference]", "EMAIL"), "Bearer amina:resident:centre");

        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = Json.tree(filed.body()).get(0).path("service_request_id").asText();
        JsonNode mine = Json.tree(feedback.send("GET", "/reports/mine", resident("amina"), Map.of(), null).body());
        assertThat(mine.path("items").findValuesAsText("id")).contains(id);
        assertThat(mine.path("items").get(0).path("contactPreference").asText()).isEqualTo("EMAIL");
    }

    @Test
    void writes_withoutCredentials_orWithBadFields_getGeoReportErrors_andStoreNothing() {
        String org = "err-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);

        ApiResponse anonymous = feedback.open311Post(FeedbackFixture.form("service_code", service, "address_string", "1 rue X", "description", "Long enough text"), null);
        ApiResponse badKey = feedback.open311Post(FeedbackFixture.form("api_key", "t311_0123456789abcdef_nope", "service_code", service,
                "address_string", "1 rue X", "description", "Long enough text"), null);
        ApiResponse unknownField = feedback.open311Post(FeedbackFixture.form("api_key", "k", "service_code", service, "colour", "red"), null);
        ApiResponse unknownAttribute = feedback.open311Post(FeedbackFixture.form("service_code", service, "attribute[size]", "big"), null);
        ApiResponse badFields = feedback.open311Post(FeedbackFixture.form("service_code", service, "lat", "91", "long", "4.8", "description", "short",
                "media_url", "ftp://x"), "Bearer amina:resident:centre");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(badKey.statusCode()).isEqualTo(403);
        assertThat(descriptions(unknownField, 400)).containsExactly("colour: is not a GeoReport v2 request field");
        assertThat(descriptions(unknownAttribute, 400)).singleElement().asString().startsWith("attribute[size]:");
        assertThat(descriptions(badFields, 400)).extracting(d -> d.substring(0, d.indexOf(':')))
                .containsExactlyInAnyOrder("description", "lat", "media_url");
        for (String notANumber : List.of("NaN", "Infinity", "-Infinity", "0x1p3", "1e400")) {
            ApiResponse nan = feedback.open311Post(FeedbackFixture.form("service_code", service, "lat", notANumber, "long", "4.8",
                    "description", "Lampadaire en panne"), "Bearer amina:resident:centre");
            assertThat(descriptions(nan, 400)).as(notANumber).extracting(d -> d.substring(0, d.indexOf(':'))).containsExactly("lat");
        }
        assertThat(Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", agent(), Map.of(), null).body()).path("items").size()).isZero();
    }

    @Test
    void aRetriedPost_withTheSameIdempotencyKey_filesOneRequest() {
        String org = "retry311-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String body = FeedbackFixture.form("service_code", service, "address_string", "2 rue Haute", "description", "Poubelle renversée");
        String key = UUID.randomUUID().toString();

        var outcomes = Concurrently.run(10, i -> () -> feedback.handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "POST",
                "/open311/v2/requests.json", Map.of("idempotency-key", key, "authorization", "Bearer zoe:resident:centre",
                        "content-type", "application/x-www-form-urlencoded"), Map.of(), Map.of(), body, Map.of())).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(201, 409));
        assertThat(Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", agent(), Map.of(), null).body()).path("items").size()).isEqualTo(1);
    }

    @Test
    void twoClients_usingOneIdempotencyKey_withTheirOwnApiKeys_fileTwoRequests() {
        String key = "shared-key-" + UUID.randomUUID();
        List<String> filed = new java.util.ArrayList<>();
        for (int client = 0; client < 2; client++) {
            String org = "app311-" + UUID.randomUUID().toString().substring(0, 8);
            String service = feedback.service(org);
            String apiKey = Json.tree(feedback.send("POST", "/organisations/" + org + "/open311-keys", provider(org), Map.of(),
                    "{\"name\":\"Appli " + client + "\"}").body()).path("apiKey").asText();
            ApiResponse answer = feedback.send("POST", "/open311/v2/requests.json", Map.of(), Map.of("idempotency-key", key,
                    "content-type", "application/x-www-form-urlencoded"), FeedbackFixture.form("api_key", apiKey, "service_code", service,
                    "address_string", "1 place de la Mairie", "description", "Banc cassé devant la mairie"));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            assertThat(answer.headers()).doesNotContainKey("idempotency-replayed");
            filed.add(Json.tree(answer.body()).get(0).path("service_request_id").asText());
        }
        assertThat(filed).doesNotHaveDuplicates();
    }

    private static List<String> descriptions(ApiResponse response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode errors = Json.tree(response.body());
        assertThat(errors.isArray()).isTrue();
        errors.forEach(e -> assertThat(e.path("code").asInt()).isEqualTo(status));
        return errors.findValuesAsText("description");
    }

    @Test
    void aPost_withAnIdempotencyKey_verifiesItsBearerTokenOnce() {
        AtomicInteger verifications = new AtomicInteger();
        BearerTokens counted = header -> {
            verifications.incrementAndGet();
            return TestBearer.FAKE.verify(header);
        };
        FeedbackFixture counting = FeedbackFixture.start(new FeedbackFixture.SteadyClock(FeedbackFixture.START), counted,
                ReportService.DEFAULT_CONTACT_RETENTION);
        String service = counting.service("once-" + UUID.randomUUID().toString().substring(0, 8));
        String body = FeedbackFixture.form("service_code", service, "address_string", "4 rue Basse", "description", "Banc cassé près de l'école");

        ApiResponse keyed = counting.open311Post(body, "Bearer lea:resident:centre", Map.of("idempotency-key", UUID.randomUUID().toString()));
        assertThat(keyed.statusCode()).as(keyed.body()).isEqualTo(201);
        assertThat(verifications.get()).as("the key's scope and the route share one verification").isEqualTo(1);

        ApiResponse plain = counting.open311Post(body, "Bearer lea:resident:centre");
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
        assertThat(verifications.get()).isEqualTo(2);

        ApiResponse invalid = counting.open311Post(body, "Bearer not-a-token", Map.of("idempotency-key", UUID.randomUUID().toString()));
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(verifications.get()).as("a refused token is checked once too").isEqualTo(3);
    }
}
