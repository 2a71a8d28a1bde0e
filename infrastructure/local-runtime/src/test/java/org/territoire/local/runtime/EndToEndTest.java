package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/** The platform as a client sees it: over HTTP, with bearer tokens, through the local HTTP API. */
class EndToEndTest {
    private static LocalPlatform platform;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String agent;
    private static String resident;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-e2e", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-e2e", "resident").inDistrict("centre"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void agentCreatesAService_residentFindsIt_overHttp() throws Exception {
        String name = "Navette solidaire " + UUID.randomUUID();
        HttpResponse<String> created = send(post("/services", agent, """
                {"name":"%s","kind":"PEER","category":"service-sharing","organisationId":"asso-navette",
                 "districts":["centre","gare"],"location":{"latitude":45.76,"longitude":4.83},"experimental":true}"""
                .formatted(name)));

        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("location").orElseThrow();
        HttpResponse<String> read = send(get(location, resident));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Json.tree(read.body()).path("name").asText()).isEqualTo(name);
        assertThat(read.headers().firstValue("access-control-allow-origin")).contains("*");

        JsonNode page = Json.tree(send(get("/services?kind=PEER&limit=100", resident)).body());
        assertThat(page.path("items").findValuesAsText("name")).contains(name);
    }

    @Test
    void withoutAValidToken_theGatewayAnswers401() throws Exception {
        HttpResponse<String> none = send(HttpRequest.newBuilder(uri("/services")).GET().build());
        HttpResponse<String> bad = send(get("/services", resident.substring(0, resident.length() - 4) + "AAAA"));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(bad.statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenFromTheTokenCommand_isAccepted() throws Exception {
        String token = Main.token(List.of("--sub", "carol", "--groups", "resident", "--district", "gare"));

        assertThat(send(get("/services", token)).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenWithoutRole_fromTheTokenCommand_readsTheCatalogue_butBooksNothing() throws Exception {
        String stranger = Main.token(List.of("--sub", "stranger-cli", "--groups", "none", "--district", "centre"));

        assertThat(send(get("/services", stranger)).statusCode()).isEqualTo(200);
        HttpResponse<String> booking = send(post("/bookings", stranger, "{}"));
        assertThat(booking.statusCode()).isEqualTo(403);
        assertThat(Json.tree(booking.body()).path("detail").asText()).contains("no role");
    }

    @Test
    void badInput_isProblemJson_overHttp() throws Exception {
        HttpResponse<String> response = send(post("/services", agent, "{\"name\":\"x\",\"kind\":\"SPACESHIP\"}"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        assertThat(Json.tree(response.body()).path("errors").get(0).path("field").asText()).isEqualTo("kind");
    }

    @Test
    void unknownRoutes_are404_andPreflightFollowsTheTemplatesCors() throws Exception {
        assertThat(send(get("/nowhere", resident)).statusCode()).isEqualTo(404);

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/services"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.territoire.example")
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-headers").orElse(""))
                .contains("authorization").contains("idempotency-key");
    }

    @Test
    void concurrentRetries_withOneIdempotencyKey_createOneService_overHttp() throws Exception {
        String name = "Retry " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"%s\",\"kind\":\"TERRITORIAL\",\"category\":\"culture\",\"organisationId\":\"mairie\",\"districts\":[\"centre\"]}"
                .formatted(name);
        var outcomes = org.territoire.local.aws.Concurrently.run(20, i -> () -> send(HttpRequest.newBuilder(uri("/services"))
                .header("Authorization", "Bearer " + agent).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build()).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(201, 409));
        JsonNode page = Json.tree(send(get("/services?kind=TERRITORIAL&limit=100", resident)).body());
        int found = 0;
        String token = null;
        do {
            for (JsonNode s : page.path("items")) {
                found += name.equals(s.path("name").asText()) ? 1 : 0;
            }
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
            if (token != null) {
                page = Json.tree(send(get("/services?kind=TERRITORIAL&limit=100&nextToken=" + token, resident)).body());
            }
        } while (token != null);
        assertThat(found).isEqualTo(1);
    }

    @Test
    void aRouteDeclaredWithoutAuthorizer_isReachedWithoutAToken() throws Exception {
        HttpResponse<String> feed = send(HttpRequest.newBuilder(uri("/calendar/" + "x".repeat(43) + ".ics")).GET().build());

        // The function answers (404 problem+json for an unknown feed), not the gateway's 401.
        assertThat(feed.statusCode()).isEqualTo(404);
        assertThat(feed.headers().firstValue("content-type")).contains("application/problem+json");
    }

    @Test
    void anAgentOpensAPoll_residentsAnswerOnce_andSeeLiveResults_overHttp() throws Exception {
        java.time.Instant opens = java.time.Instant.now().minusSeconds(60);
        HttpResponse<String> created = send(post("/consultations", agent, """
                {"title":"Horaires de la médiathèque","description":"Quand voulez-vous qu'elle ouvre ?","kind":"POLL",
                 "districts":["centre"],"opensAt":"%s","closesAt":"%s","liveResults":true,
                 "questions":[{"text":"Ouverture le dimanche ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(opens, opens.plusSeconds(86_400))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.tree(created.body()).path("consultation").path("id").asText();
        assertThat(send(post("/consultations/" + id + "/schedule", agent, "")).statusCode()).isEqualTo(200);

        String answer = "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}";
        assertThat(send(post("/consultations/" + id + "/participation", resident, answer)).statusCode()).isEqualTo(201);
        assertThat(send(post("/consultations/" + id + "/participation", resident, answer)).statusCode()).isEqualTo(409);
        String elsewhere = platform.issuer().mint(LocalIssuer.User.of("resident-far", "resident").inDistrict("hameau"));
        assertThat(send(post("/consultations/" + id + "/participation", elsewhere, answer)).statusCode()).isEqualTo(403);

        JsonNode results = Json.tree(send(get("/consultations/" + id + "/results", resident)).body());
        assertThat(results.path("participants").asLong()).isEqualTo(1);
        assertThat(results.path("questions").get(0).path("counts").get(0).path("count").asLong()).isEqualTo(1);
    }

    private static HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpRequest post(String path, String token, String body) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static URI uri(String path) {
        return URI.create(platform.apiUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
