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
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

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

    @Test
    void everyRoute_answersTheSameData_inXml_asInJson() throws Exception {
        String org = "xml-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        String apiKey = Json.tree(feedback.send("POST", "/organisations/" + org + "/open311-keys", provider(org), Map.of(),
                "{\"name\":\"Appli XML\"}").body()).path("apiKey").asText();
        ApiResponse filed = feedback.send("POST", "/open311/v2/requests.xml", Map.of(), Map.of("content-type",
                "application/x-www-form-urlencoded"), FeedbackFixture.form("api_key", apiKey, "service_code", service, "lat", "45.75",
                "long", "4.85", "description", "Tags <b>&amp;</b> \"cités\" ]]> sur le mur"));
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        assertThat(filed.headers().get("content-type")).isEqualTo("text/xml; charset=utf-8");
        Document receipt = xml(filed);
        assertThat(receipt.getDocumentElement().getTagName()).isEqualTo("service_requests");
        String id = receipt.getElementsByTagName("service_request_id").item(0).getTextContent();
        assertThat(filed.headers().get("location")).isEqualTo("/open311/v2/requests/" + id + ".xml");

        for (String path : List.of("/open311/v2/discovery", "/open311/v2/services", "/open311/v2/services/" + service,
                "/open311/v2/requests/" + id, "/open311/v2/tokens/" + id)) {
            sameData(path, "");
        }
        sameData("/open311/v2/requests", "?service_code=" + service + "&status=open");
        sameData("/open311/v2/requests", "?service_request_id=" + id);
        Document one = xml(feedback.send("GET", "/open311/v2/requests/" + id + ".xml", Map.of(), Map.of(), null));
        assertThat(one.getElementsByTagName("description").item(0).getTextContent())
                .isEqualTo("Tags <b>&amp;</b> \"cités\" ]]> sur le mur");
        Document discovery = xml(feedback.send("GET", "/open311/v2/discovery.xml", Map.of(), Map.of(), null));
        assertThat(discovery.getElementsByTagName("format").item(0).getTextContent()).isEqualTo("text/xml");
        assertThat(discovery.getElementsByTagName("format").item(1).getTextContent()).isEqualTo("application/json");

        // Errors come in the format asked for too.
        ApiResponse missing = feedback.send("GET", "/open311/v2/requests/no-such-request.xml", Map.of(), Map.of(), null);
        assertThat(missing.statusCode()).isEqualTo(404);
        Document errors = xml(missing);
        assertThat(errors.getDocumentElement().getTagName()).isEqualTo("errors");
        assertThat(errors.getElementsByTagName("code").item(0).getTextContent()).isEqualTo("404");
        ApiResponse refused = feedback.send("POST", "/open311/v2/requests.xml", Map.of(), Map.of("content-type",
                "application/x-www-form-urlencoded"), FeedbackFixture.form("api_key", apiKey, "service_code", service, "lat", "91", "long", "4.8"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(xml(refused).getElementsByTagName("description").item(0).getTextContent()).startsWith("lat:");
        assertThat(feedback.send("GET", "/open311/v2/services/" + service + ".txt", Map.of(), Map.of(), null).statusCode()).isEqualTo(404);

        // A retried XML post is answered the same document, once filed.
        Map<String, String> keyed = Map.of("content-type", "application/x-www-form-urlencoded", "idempotency-key", UUID.randomUUID().toString());
        String retried = FeedbackFixture.form("api_key", apiKey, "service_code", service, "address_string", "8 rue Basse");
        ApiResponse once = feedback.send("POST", "/open311/v2/requests.xml", Map.of(), keyed, retried);
        ApiResponse twice = feedback.send("POST", "/open311/v2/requests.xml", Map.of(), keyed, retried);
        assertThat(once.statusCode()).as(once.body()).isEqualTo(201);
        assertThat(twice.statusCode()).isEqualTo(201);
        assertThat(twice.headers()).containsEntry("idempotency-replayed", "true").containsEntry("content-type", "text/xml; charset=utf-8");
        assertThat(twice.body()).isEqualTo(once.body());
        assertThat(Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", agent(), Map.of(), null).body())
                .path("items").size()).isEqualTo(2);
    }

    @Test
    void otherPathsAndMethods_underTheOpen311Prefix_getGeoReportErrors_inThePathsFormat() throws Exception {
        ApiResponse json = feedback.send("GET", "/open311/v2/nothing-here.json", Map.of(), Map.of(), null);
        assertThat(json.statusCode()).isEqualTo(404);
        assertThat(json.headers().get("content-type")).isEqualTo("application/json");
        assertThat(Json.tree(json.body()).get(0).path("code").asInt()).isEqualTo(404);

        ApiResponse xml = feedback.send("GET", "/open311/v3/services.xml", Map.of(), Map.of(), null);
        assertThat(xml.statusCode()).isEqualTo(404);
        assertThat(xml(xml).getElementsByTagName("code").item(0).getTextContent()).isEqualTo("404");

        ApiResponse wrongMethod = feedback.send("DELETE", "/open311/v2/requests.json", Map.of(), Map.of(), null);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(Json.tree(wrongMethod.body()).get(0).path("description").asText()).contains("GET, POST");
        ApiResponse wrongMethodXml = feedback.send("PUT", "/open311/v2/services.xml", Map.of(), Map.of(), "<x/>");
        assertThat(wrongMethodXml.statusCode()).isEqualTo(405);
        assertThat(xml(wrongMethodXml).getElementsByTagName("code").item(0).getTextContent()).isEqualTo("405");
        // Outside the prefix, the platform's own problem document.
        assertThat(feedback.send("GET", "/nothing-here.json", Map.of(), Map.of(), null).headers().get("content-type"))
                .isEqualTo("application/problem+json");
    }

    @Test
    void aRequest_withoutDescription_isFiled_andListedEverywhere_withAnEmptyDescription() throws Exception {
        String org = "nodesc-" + UUID.randomUUID().toString().substring(0, 8);
        String service = feedback.service(org);
        ApiResponse filed = feedback.open311Post(FeedbackFixture.form("service_code", service, "lat", "45.7601", "long", "4.8402",
                "media_url", "https://photos.example.org/lampadaire.jpg", "description", ""), "Bearer nour:resident:centre");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = Json.tree(filed.body()).get(0).path("service_request_id").asText();

        JsonNode request = Json.tree(feedback.send("GET", "/open311/v2/requests/" + id + ".json", Map.of(), Map.of(), null).body()).get(0);
        assertThat(request.has("description") && request.get("description").isNull()).as(request.toString()).isTrue();
        Document xml = xml(feedback.send("GET", "/open311/v2/requests/" + id + ".xml", Map.of(), Map.of(), null));
        assertThat(xml.getElementsByTagName("description").item(0).getTextContent()).isEmpty();
        JsonNode report = Json.tree(feedback.send("GET", "/reports/" + id, resident("nour"), Map.of(), null).body()).path("report");
        assertThat(report.path("id").asText()).isEqualTo(id);
        assertThat(report.has("description")).isFalse();
        JsonNode map = Json.tree(feedback.send("GET", "/reports?bbox=4.83,45.75,4.85,45.77", Map.of(), Map.of(), null).body());
        assertThat(map.path("items").findValuesAsText("id")).contains(id);
        JsonNode mine = Json.tree(feedback.send("GET", "/reports/mine", resident("nour"), Map.of(), null).body());
        assertThat(mine.path("items").findValuesAsText("id")).contains(id);
        JsonNode organisation = Json.tree(feedback.send("GET", "/organisations/" + org + "/reports", agent(), Map.of(), null).body());
        assertThat(organisation.path("items").findValuesAsText("id")).containsExactly(id);
    }

    /** The .xml answer of a path holds exactly the .json answer: the same elements, in order, with the same values. */
    private static void sameData(String path, String query) throws Exception {
        ApiResponse json = feedback.send("GET", path + ".json" + query, Map.of(), Map.of(), null);
        ApiResponse xml = feedback.send("GET", path + ".xml" + query, Map.of(), Map.of(), null);
        assertThat(json.statusCode()).as(path + " " + json.body()).isEqualTo(200);
        assertThat(xml.statusCode()).as(path + " " + xml.body()).isEqualTo(200);
        assertThat(xml.headers().get("content-type")).isEqualTo("text/xml; charset=utf-8");
        Element root = xml(xml).getDocumentElement();
        JsonNode tree = Json.tree(json.body());
        if (tree.isArray()) {
            assertThat(children(root)).as(path).hasSize(tree.size());
            for (int i = 0; i < tree.size(); i++) {
                same(path, children(root).get(i), tree.get(i));
            }
        } else {
            same(path, root, tree);
        }
    }

    private static void same(String where, Element element, JsonNode value) {
        List<Element> children = children(element);
        if (value.isObject()) {
            List<String> names = new java.util.ArrayList<>();
            value.fieldNames().forEachRemaining(names::add);
            assertThat(children).as(where).extracting(Element::getTagName).containsExactlyElementsOf(names);
            for (Element child : children) {
                same(where + "/" + child.getTagName(), child, value.get(child.getTagName()));
            }
        } else if (value.isArray()) {
            assertThat(children).as(where).hasSize(value.size());
            for (int i = 0; i < value.size(); i++) {
                same(where + "[" + i + "]", children.get(i), value.get(i));
            }
        } else {
            assertThat(children).as(where).isEmpty();
            assertThat(element.getTextContent()).as(where).isEqualTo(value.isNull() ? "" : value.asText());
        }
    }

    private static List<Element> children(Element element) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static Document xml(ApiResponse response) throws Exception {
        assertThat(response.headers().get("content-type")).as(response.body()).isEqualTo("text/xml; charset=utf-8");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
    }
}
