package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * Drives the Open311 endpoints over HTTP as a GeoReport v2 client does: discovery first, then
 * the endpoint it names, form-encoded posts with an api_key or a bearer token (verified by the
 * function against the local issuer's JWKS), and the JSON shapes and error format of
 * https://wiki.open311.org/GeoReport_v2.
 */
class Open311ConformanceTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String base;
    private static String serviceCode;
    private static String organisation;
    private static String operator;
    private static String apiKey;

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        String agent = platform.issuer().mint(LocalIssuer.User.of("agent-311", "agent").ofOrganisation("mairie"));
        organisation = "voirie-" + UUID.randomUUID().toString().substring(0, 8);
        operator = platform.issuer().mint(LocalIssuer.User.of("op-311", "provider").ofOrganisation(organisation));
        HttpResponse<String> service = send(json("POST", "/services", agent, """
                {"name":"Voirie %s","description":"Chaussées et trottoirs","kind":"TERRITORIAL","category":"waste-management",
                 "organisationId":"%s","districts":["centre"]}""".formatted(organisation, organisation)));
        serviceCode = Json.tree(service.body()).path("id").asText();
        apiKey = Json.tree(send(json("POST", "/organisations/" + organisation + "/open311-keys", operator,
                "{\"name\":\"Appli Signalements\"}")).body()).path("apiKey").asText();
        // A client starts from discovery and uses the endpoint it announces.
        JsonNode discovery = Json.tree(send(anonymous("GET", platform.apiUrl() + "/open311/v2/discovery.json", null)).body());
        JsonNode endpoint = discovery.path("endpoints").get(0);
        assertThat(endpoint.path("specification").asText()).isEqualTo("http://wiki.open311.org/GeoReport_v2");
        assertThat(endpoint.path("formats").findValuesAsText("formats")).isEmpty();
        assertThat(List.of(endpoint.path("formats").get(0).asText(), endpoint.path("formats").get(1).asText()))
                .containsExactly("text/xml", "application/json");
        base = endpoint.path("url").asText();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void servicesList_andDefinition_describeWhatAClientMayPost() throws Exception {
        JsonNode services = Json.tree(send(anonymous("GET", base + "/services.json", null)).body());
        JsonNode ours = null;
        for (JsonNode s : services) {
            if (serviceCode.equals(s.path("service_code").asText())) {
                ours = s;
            }
        }
        assertThat(ours).isNotNull();
        assertThat(ours.path("service_name").asText()).startsWith("Voirie");
        assertThat(ours.path("metadata").asBoolean()).isTrue();
        assertThat(ours.path("type").asText()).isEqualTo("realtime");
        assertThat(ours.path("group").asText()).isEqualTo("territorial");

        JsonNode definition = Json.tree(send(anonymous("GET", base + "/services/" + serviceCode + ".json", null)).body());
        assertThat(definition.path("service_code").asText()).isEqualTo(serviceCode);
        JsonNode attribute = definition.path("attributes").get(0);
        assertThat(attribute.path("code").asText()).isEqualTo("contact_preference");
        assertThat(attribute.path("datatype").asText()).isEqualTo("singlevaluelist");
        assertThat(attribute.path("required").asBoolean()).isFalse();
        assertThat(attribute.path("values").findValuesAsText("key")).containsExactly("NONE", "EMAIL", "PHONE");

        HttpResponse<String> unknown = send(anonymous("GET", base + "/services/no-such-service.json", null));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.tree(unknown.body()).get(0).path("code").asInt()).isEqualTo(404);
        HttpResponse<String> xml = send(anonymous("GET", base + "/services/" + serviceCode + ".xml", null));
        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("content-type")).hasValue("text/xml; charset=utf-8");
        assertThat(xml.body()).contains("<service_definition><service_code>" + serviceCode + "</service_code>");
        HttpResponse<String> elsewhere = send(anonymous("GET", platform.apiUrl() + "/open311/v2/no-such-route.xml", null));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("<errors><error><code>404</code>");
    }

    @Test
    void aRequestPostedWithAnApiKey_isFoundByIdTokenAndSearch_andFollowsTheOperatorsWork() throws Exception {
        HttpResponse<String> posted = send(anonymous("POST", base + "/requests.json", form("api_key", apiKey, "service_code", serviceCode,
                "lat", "45.7578", "long", "4.8320", "address_string", "12 rue de la République", "description",
                "Nid-de-poule profond sur la chaussée", "media_url", "https://photos.example.org/1.jpg", "email", "lea@example.org",
                "attribute[contact_preference]", "EMAIL")));
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        JsonNode receipt = Json.tree(posted.body()).get(0);
        String id = receipt.path("service_request_id").asText();
        assertThat(receipt.path("service_notice").asText()).contains(organisation);

        JsonNode byToken = Json.tree(send(anonymous("GET", base + "/tokens/" + receipt.path("token").asText() + ".json", null)).body());
        assertThat(byToken.get(0).path("service_request_id").asText()).isEqualTo(id);

        JsonNode request = Json.tree(send(anonymous("GET", base + "/requests/" + id + ".json", null)).body()).get(0);
        assertThat(request.path("status").asText()).isEqualTo("open");
        assertThat(request.path("service_code").asText()).isEqualTo(serviceCode);
        assertThat(request.path("agency_responsible").asText()).isEqualTo(organisation);
        assertThat(request.path("lat").asDouble()).isEqualTo(45.7578);
        assertThat(request.path("long").asDouble()).isEqualTo(4.8320);
        assertThat(request.path("media_url").asText()).isEqualTo("https://photos.example.org/1.jpg");
        assertThat(Instant.parse(request.path("requested_datetime").asText())).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        assertThat(request.toString()).doesNotContain("lea@example.org");

        assertThat(search("service_code=" + serviceCode + "&status=open")).contains(id);
        assertThat(search("service_code=" + serviceCode + "&status=closed")).doesNotContain(id);

        send(json("POST", "/reports/" + id + "/status", operator, "{\"status\":\"RESOLVED\",\"note\":\"Rebouché\"}"));

        JsonNode closed = Json.tree(send(anonymous("GET", base + "/requests.json?service_request_id=" + id + ",unknown-id", null)).body());
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).path("status").asText()).isEqualTo("closed");
        assertThat(closed.get(0).path("status_notes").asText()).isEqualTo("resolved");
        assertThat(search("service_code=" + serviceCode + "&status=closed")).contains(id);
    }

    @Test
    void aResidentsBearerToken_isVerifiedByTheFunction_andAForgedOneIsRefused() throws Exception {
        String resident = platform.issuer().mint(LocalIssuer.User.of("lea-311", "resident").inDistrict("centre"));
        String body = form("service_code", serviceCode, "address_string", "Place du Marché", "description", "Banc cassé près de la fontaine");

        HttpResponse<String> posted = send(withBearer(resident, body));
        HttpResponse<String> forged = send(withBearer(resident.substring(0, resident.length() - 4) + "AAAA", body));

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        String id = Json.tree(posted.body()).get(0).path("service_request_id").asText();
        JsonNode mine = Json.tree(send(json("GET", "/reports/mine", resident, null)).body());
        assertThat(mine.path("items").findValuesAsText("id")).contains(id);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(Json.tree(forged.body()).get(0).path("code").asInt()).isEqualTo(401);
    }

    @Test
    void searchWindows_followTheSpecification() throws Exception {
        Instant now = Instant.now();
        HttpResponse<String> tooWide = send(anonymous("GET", base + "/requests.json?start_date=" + now.minus(120, ChronoUnit.DAYS)
                + "&end_date=" + now, null));
        HttpResponse<String> notADate = send(anonymous("GET", base + "/requests.json?start_date=yesterday", null));
        HttpResponse<String> badStatus = send(anonymous("GET", base + "/requests.json?status=pending", null));

        assertThat(tooWide.statusCode()).isEqualTo(400);
        assertThat(Json.tree(tooWide.body()).get(0).path("description").asText()).contains("90 days");
        assertThat(notADate.statusCode()).isEqualTo(400);
        assertThat(badStatus.statusCode()).isEqualTo(400);
        // A window that ended before the request was filed does not list it.
        String id = Json.tree(send(anonymous("POST", base + "/requests.json", form("api_key", apiKey, "service_code", serviceCode,
                "address_string", "Rue Neuve", "description", "Panneau de signalisation tordu"))).body()).get(0)
                .path("service_request_id").asText();
        assertThat(search("service_code=" + serviceCode + "&end_date=" + now.minus(1, ChronoUnit.DAYS))).doesNotContain(id);
        assertThat(search("service_code=" + serviceCode + "&start_date=" + now.minus(1, ChronoUnit.HOURS))).contains(id);
        assertThat(search("service_code=" + serviceCode)).as("the default window is the last 90 days").contains(id);
    }

    private static List<String> search(String query) throws Exception {
        HttpResponse<String> response = send(anonymous("GET", base + "/requests.json?" + query, null));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        Json.tree(response.body()).forEach(r -> ids.add(r.path("service_request_id").asText()));
        return ids;
    }

    private static String form(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private static HttpRequest anonymous(String method, String url, String formBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (formBody != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        return b.method(method, formBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(formBody)).build();
    }

    private static HttpRequest withBearer(String token, String formBody) {
        return HttpRequest.newBuilder(URI.create(base + "/requests.json")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(formBody)).build();
    }

    private static HttpRequest json(String method, String path, String token, String body) {
        return HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
