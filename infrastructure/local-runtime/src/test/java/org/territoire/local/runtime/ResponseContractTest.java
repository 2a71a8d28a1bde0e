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
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * Real answers match api/openapi.yaml: a walk through every capability over HTTP, through the
 * local HTTP API, with tokens of each role; each answer's status, media type and body are
 * checked against its operation in the description, and each request body sent against the
 * operation's request schema (the description must accept what the API accepts).
 */
class ResponseContractTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static ApiContract contract;
    private static String agent, resident, provider, stranger;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        contract = ApiContract.load();
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-contract", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-contract-" + UUID.randomUUID(), "resident").inDistrict("centre"));
        provider = platform.issuer().mint(LocalIssuer.User.of("provider-contract", "provider").ofOrganisation("asso-contract"));
        stranger = platform.issuer().mint(LocalIssuer.User.of("stranger-contract", "none").inDistrict("centre"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void theDescriptionAndItsReferencePage_areServed() throws Exception {
        HttpResponse<String> yaml = HTTP.send(HttpRequest.newBuilder(platform.apiUrl().resolve("/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(platform.apiUrl().resolve("/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> docs = HTTP.send(HttpRequest.newBuilder(platform.apiUrl().resolve("/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bundle = HTTP.send(HttpRequest.newBuilder(platform.apiUrl().resolve("/docs/swagger-ui-bundle.js")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.1.0");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(Json.tree(json.body()).path("paths").size()).isEqualTo(contract.doc().path("paths").size());
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/docs/swagger-ui-bundle.js").doesNotContain("http://", "https://");
        assertThat(bundle.statusCode()).as("swagger-ui-dist installed by infrastructure/setup.sh").isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
    }

    @Test
    void aBrowser_mayReadAnExportsFileName_andLargeAnswersComeGzipped() throws Exception {
        for (int i = 0; i < 4; i++) {
            call("POST", "/services", "/services", agent, """
                    {"name":"Grand %s","kind":"PEER","category":"service-sharing","organisationId":"asso-contract",
                     "districts":["centre"],"description":"%s"}""".formatted(UUID.randomUUID(), "Une description longue. ".repeat(12)), 201);
        }
        HttpResponse<byte[]> page = HTTP.send(HttpRequest.newBuilder(platform.apiUrl().resolve("/services?limit=100"))
                .header("Authorization", "Bearer " + resident).header("Origin", "http://127.0.0.1:8080")
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(page.headers().firstValue("access-control-expose-headers").orElse("")).contains("content-disposition");
        assertThat(page.headers().firstValue("content-encoding")).contains("gzip");
        assertThat(page.headers().firstValue("vary")).contains("Accept-Encoding");
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(page.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        assertThat(json.length()).isGreaterThan(1024).isGreaterThan(page.body().length * 2);
        assertThat(Json.tree(json).path("items").size()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void feedbackAnswers_matchTheDescription() throws Exception {
        JsonNode service = call("POST", "/services", "/services", agent, """
                {"name":"Contrat %s","kind":"PEER","category":"service-sharing","organisationId":"asso-contract",
                 "districts":["centre"],"location":{"latitude":45.76,"longitude":4.83}}""".formatted(UUID.randomUUID()), 201);
        String id = service.path("id").asText();
        String one = "/services/" + id;
        call("GET", "/services", "/services?limit=2", resident, null, 200);
        call("GET", "/services", "/services?kind=NOPE", resident, null, 400);
        call("GET", "/services", "/services", null, null, 401);
        call("POST", "/services", "/services", stranger, "{}", 403);
        call("GET", "/services/{serviceId}", one, stranger, null, 200);
        call("GET", "/services/{serviceId}", "/services/no-such-service", resident, null, 404);
        call("PUT", "/services/{serviceId}", one, agent, """
                {"name":"Contrat renommé","kind":"PEER","category":"service-sharing","districts":["centre"]}""", 200);
        JsonNode evaluation = call("POST", "/services/{serviceId}/evaluations", one + "/evaluations", resident,
                "{\"rating\":4,\"comment\":\"Bien.\"}", 201);
        call("POST", "/services/{serviceId}/evaluations", one + "/evaluations", resident, "{\"rating\":9}", 400);
        call("GET", "/services/{serviceId}/evaluations", one + "/evaluations?limit=1", resident, null, 200);
        call("GET", "/services/{serviceId}/evaluations/mine", one + "/evaluations/mine", resident, null, 200);
        call("PUT", "/services/{serviceId}/evaluations/mine", one + "/evaluations/mine", resident, "{\"rating\":5}", 200);
        call("POST", "/services/{serviceId}/evaluations/{authorId}/reply",
                one + "/evaluations/" + evaluation.path("handle").asText() + "/reply", agent, "{\"reply\":\"Merci.\"}", 200);

        JsonNode report = call("POST", "/reports", "/reports", resident, """
                {"serviceId":"%s","description":"Lampadaire éteint depuis lundi","latitude":45.764,"longitude":4.8357}""".formatted(id), 201);
        String reportPath = "/reports/" + report.path("id").asText();
        call("GET", "/reports/{reportId}", reportPath, resident, null, 200);
        call("GET", "/reports/mine", "/reports/mine", resident, null, 200);
        call("GET", "/reports", "/reports?bbox=4.80,45.74,4.88,45.78", null, null, 200);
        call("GET", "/reports", "/reports?bbox=oops", null, null, 400);
        call("GET", "/reports/nearby", "/reports/nearby?serviceId=" + id + "&latitude=45.764&longitude=4.8357", resident, null, 200);
        call("POST", "/reports/{reportId}/status", reportPath + "/status", agent, "{\"status\":\"ACKNOWLEDGED\",\"note\":\"Vu\"}", 200);
        call("POST", "/reports/{reportId}/follow", reportPath + "/follow", agent, null, 204);
        call("GET", "/organisations/{organisationId}/reports", "/organisations/asso-contract/reports?status=ACKNOWLEDGED", agent, null, 200);

        JsonNode key = call("POST", "/organisations/{organisationId}/open311-keys", "/organisations/mairie/open311-keys", agent,
                "{\"name\":\"Appli contrat\"}", 201);
        call("GET", "/organisations/{organisationId}/open311-keys", "/organisations/mairie/open311-keys", agent, null, 200);
        call("GET", "/open311/v2/discovery.json", "/open311/v2/discovery.json", null, null, 200);
        call("GET", "/open311/v2/services.json", "/open311/v2/services.json", null, null, 200);
        call("GET", "/open311/v2/services/{serviceFile}", "/open311/v2/services/" + id + ".json", null, null, 200);
        JsonNode filed = form("/open311/v2/requests.json", "api_key=" + enc(key.path("apiKey").asText()) + "&service_code=" + id
                + "&lat=45.7640&long=4.8357&description=" + enc("Banc cassé près de l'école"), 201);
        call("GET", "/open311/v2/requests.json", "/open311/v2/requests.json?status=open", null, null, 200);
        String requestId = filed.path(0).path("service_request_id").asText();
        call("GET", "/open311/v2/requests/{requestFile}", "/open311/v2/requests/" + requestId + ".json", null, null, 200);
        call("GET", "/open311/v2/tokens/{tokenFile}", "/open311/v2/tokens/" + requestId + ".json", null, null, 200);
        call("GET", "/open311/v2/requests/{requestFile}", "/open311/v2/requests/nothing.json", null, null, 404);
        call("GET", "/open311/v2/discovery.xml", "/open311/v2/discovery.xml", null, null, 200);
        call("GET", "/open311/v2/services.xml", "/open311/v2/services.xml", null, null, 200);
        call("GET", "/open311/v2/services/{serviceFile}", "/open311/v2/services/" + id + ".xml", null, null, 200);
        form("/open311/v2/requests.xml", "api_key=" + enc(key.path("apiKey").asText()) + "&service_code=" + id
                + "&address_string=" + enc("Place du Marché"), 201);
        form("/open311/v2/requests.xml", "api_key=" + enc(key.path("apiKey").asText()) + "&service_code=" + id + "&lat=91&long=4", 400);
        call("GET", "/open311/v2/requests.xml", "/open311/v2/requests.xml?status=open", null, null, 200);
        call("GET", "/open311/v2/requests/{requestFile}", "/open311/v2/requests/" + requestId + ".xml", null, null, 200);
        call("GET", "/open311/v2/tokens/{tokenFile}", "/open311/v2/tokens/" + requestId + ".xml", null, null, 200);
        call("GET", "/open311/v2/requests/{requestFile}", "/open311/v2/requests/nothing.xml", null, null, 404);
        for (String[] other : new String[][] {{"GET", "/open311/v2/nowhere.xml", "404"}, {"GET", "/open311/v3/services.json", "404"},
                {"DELETE", "/open311/v2/requests.json", "405"}}) {
            answer("ANY", "/open311/{proxy+}", HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + other[1]))
                    .method(other[0], HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()),
                    Integer.parseInt(other[2]));
        }
        call("DELETE", "/organisations/{organisationId}/open311-keys/{keyId}",
                "/organisations/mairie/open311-keys/" + key.path("key").path("keyId").asText(), agent, null, 204);
        call("DELETE", "/services/{serviceId}/evaluations/mine", one + "/evaluations/mine", resident, null, 204);
        call("DELETE", "/services/{serviceId}", one, agent, null, 200);

        assertThat(problems).isEmpty();
    }

    @Test
    void accountsAnswers_matchTheDescription() throws Exception {
        String newcomer = platform.issuer().mint(LocalIssuer.User.of("newcomer-contract-" + UUID.randomUUID()));
        String other = platform.issuer().mint(LocalIssuer.User.of("postal-contract-" + UUID.randomUUID()));
        String admin = platform.issuer().mint(LocalIssuer.User.of("admin-contract", "admin"));
        call("GET", "/me", "/me", newcomer, null, 200);
        JsonNode request = call("POST", "/verifications", "/verifications", newcomer, "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}", 201);
        String r = "/verifications/" + request.path("id").asText();
        call("POST", "/verifications", "/verifications", newcomer, "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}", 409);
        call("POST", "/verifications", "/verifications", newcomer, "{\"method\":\"CENSUS\"}", 400);
        call("GET", "/verifications", "/verifications?limit=5", agent, null, 200);
        call("GET", "/verifications/{requestId}", r, newcomer, null, 200);
        call("GET", "/verifications/{requestId}", r, agent, null, 200);
        call("POST", "/verifications/{requestId}/decision", r + "/decision", agent, "{\"approve\":false}", 200);
        call("POST", "/verifications/{requestId}/decision", r + "/decision", agent, "{\"approve\":true}", 409);
        JsonNode postal = call("POST", "/verifications", "/verifications", other,
                "{\"method\":\"POSTAL\",\"district\":\"gare\",\"address\":\"1 place de la Gare\"}", 201);
        String p = "/verifications/" + postal.path("id").asText();
        call("POST", "/verifications/{requestId}/letter", p + "/letter", agent, null, 201);
        call("POST", "/verifications/{requestId}/code", p + "/code", other, "{\"code\":\"WRONG234\"}", 422);
        call("POST", "/census/entries", "/census/entries", agent, "{\"entries\":[{\"hmac\":\"" + "ab".repeat(32) + "\",\"district\":\"gare\"}]}", 200);
        call("POST", "/census/entries", "/census/entries", agent, "{\"entries\":[{\"hmac\":\"xyz\",\"district\":\"gare\"}]}", 400);
        call("POST", "/accounts/{accountId}/roles/agent", "/accounts/nobody-contract/roles/agent", admin, null, 404);
        call("POST", "/accounts/{accountId}/roles/provider", "/accounts/nobody-contract/roles/provider", agent,
                "{\"organisationId\":\"asso\"}", 404);
        JsonNode export = call("POST", "/me/exports", "/me/exports", newcomer, null, 202);
        // Each capability's consumer writes its part; once the bus has delivered, the export is assembled.
        org.assertj.core.api.Assertions.assertThat(platform.events().awaitDeliveries(java.time.Duration.ofSeconds(120))).isTrue();
        call("GET", "/me/exports/{exportId}", "/me/exports/" + export.path("exportId").asText(), newcomer, null, 200);
        call("GET", "/me/exports/{exportId}", "/me/exports/" + UUID.randomUUID(), newcomer, null, 404);
        call("DELETE", "/me", "/me", newcomer, null, 204);

        assertThat(problems).isEmpty();
    }

    @Test
    void bookingsAnswers_matchTheDescription() throws Exception {
        String all = "[\"08:00-20:00\"]";
        JsonNode resource = call("POST", "/resources", "/resources", agent, """
                {"kind":"COMMON_ROOM","name":"Salle contrat","organisationId":"mairie","district":"centre","capacity":2,"slotMinutes":60,
                 "openingHours":{"MONDAY":%1$s,"TUESDAY":%1$s,"WEDNESDAY":%1$s,"THURSDAY":%1$s,"FRIDAY":%1$s,"SATURDAY":%1$s,"SUNDAY":%1$s}}"""
                .formatted(all), 201);
        String res = "/resources/" + resource.path("id").asText();
        call("GET", "/resources", "/resources?kind=COMMON_ROOM&limit=3", resident, null, 200);
        call("GET", "/resources/{resourceId}", res, resident, null, 200);
        LocalDate day = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(2);
        call("GET", "/resources/{resourceId}/availability", res + "/availability?date=" + day + "&days=1", resident, null, 200);
        call("GET", "/resources/{resourceId}/availability", res + "/availability?date=tomorrow", resident, null, 400);
        call("PATCH", "/resources/{resourceId}", res, agent, "{\"description\":\"Avec cuisine\"}", 200);
        String start = day.atTime(10, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String end = day.atTime(12, 0).atZone(ZoneId.of("Europe/Paris")).toOffsetDateTime().format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        JsonNode booking = call("POST", "/bookings", "/bookings", resident, """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource.path("id").asText(), start, end), 201);
        String b = "/bookings/" + booking.path("id").asText();
        call("GET", "/bookings/mine", "/bookings/mine", resident, null, 200);
        call("GET", "/bookings/{bookingId}", b, resident, null, 200);
        call("GET", "/resources/{resourceId}/bookings", res + "/bookings", agent, null, 200);
        call("GET", "/resources/{resourceId}/occupancy", res + "/occupancy", resident, null, -1);
        call("POST", "/bookings/{bookingId}/cancel", b + "/cancel", resident, null, 200);
        call("GET", "/quotas/{kind}", "/quotas/COMMON_ROOM", resident, null, 200);
        call("PUT", "/quotas/{kind}", "/quotas/FESTIVE_HALL", agent, "{\"maxActive\":3,\"maxHoursPerWeek\":10}", 200);
        call("PUT", "/quotas/{kind}", "/quotas/FESTIVE_HALL", resident, "{\"maxActive\":3}", 403);
        JsonNode feed = call("POST", "/bookings/calendar-feed", "/bookings/calendar-feed", resident, null, 201);
        call("GET", "/calendar/{feedToken}", feed.path("path").asText(), null, null, 200);
        call("DELETE", "/resources/{resourceId}", res, agent, null, 204);

        assertThat(problems).isEmpty();
    }

    @Test
    void consultationsAnswers_matchTheDescription() throws Exception {
        String opens = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        String closes = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode poll = call("POST", "/consultations", "/consultations", agent, """
                {"title":"Sondage contrat","description":"Un sondage.","kind":"POLL","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","liveResults":true,"allowChange":true,
                 "questions":[{"text":"Quel jour ?","type":"SINGLE_CHOICE","choices":["Mardi","Samedi"]},
                              {"text":"Une idée ?","type":"FREE_TEXT","optional":true}]}""".formatted(opens, closes), 201);
        String c = "/consultations/" + poll.path("consultation").path("id").asText();
        call("GET", "/consultations", "/consultations?limit=2", resident, null, 200);
        call("GET", "/consultations/{consultationId}", c, agent, null, 200);
        call("POST", "/consultations/{consultationId}/schedule", c + "/schedule", agent, null, 200);
        call("POST", "/consultations/{consultationId}/participation", c + "/participation", resident,
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c2\"]},{\"questionId\":\"q2\",\"text\":\"Des fleurs\"}]}", 201);
        call("PUT", "/consultations/{consultationId}/participation", c + "/participation", resident,
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}", 200);
        call("GET", "/consultations/{consultationId}/participation", c + "/participation", resident, null, 200);
        call("GET", "/consultations/{consultationId}/results", c + "/results", resident, null, 200);
        call("GET", "/consultations/{consultationId}/export", c + "/export?format=json", resident, null, -1);
        call("GET", "/consultations/{consultationId}/export", c + "/export", resident, null, -1);

        JsonNode ideas = call("POST", "/consultations", "/consultations", agent, """
                {"title":"Idées contrat","description":"Des idées.","kind":"PROPOSALS","opensAt":"%s","closesAt":"%s",
                 "supportThreshold":1}""".formatted(opens, closes), 201);
        String i = "/consultations/" + ideas.path("consultation").path("id").asText();
        call("POST", "/consultations/{consultationId}/schedule", i + "/schedule", agent, null, 200);
        JsonNode proposal = call("POST", "/consultations/{consultationId}/proposals", i + "/proposals", resident,
                "{\"title\":\"Des bancs\",\"body\":\"Des bancs à l'ombre sur la place.\"}", 201);
        String p = i + "/proposals/" + proposal.path("id").asText();
        call("GET", "/consultations/{consultationId}/proposals", i + "/proposals", resident, null, 200);
        call("GET", "/consultations/{consultationId}/proposals/{proposalId}", p, resident, null, 200);
        call("PUT", "/consultations/{consultationId}/proposals/{proposalId}", p, resident,
                "{\"title\":\"Des bancs verts\",\"body\":\"Des bancs verts à l'ombre sur la place.\"}", 200);
        call("POST", "/consultations/{consultationId}/proposals/{proposalId}/support", p + "/support", resident, null, 200);
        JsonNode comment = call("POST", "/consultations/{consultationId}/proposals/{proposalId}/comments", p + "/comments", resident,
                "{\"text\":\"Bonne idée.\"}", 201);
        call("GET", "/consultations/{consultationId}/proposals/{proposalId}/comments", p + "/comments", resident, null, 200);
        call("POST", "/consultations/{consultationId}/proposals/{proposalId}/comments/{commentId}/flag",
                p + "/comments/" + comment.path("id").asText() + "/flag", resident, null, 204);
        call("POST", "/consultations/{consultationId}/proposals/{proposalId}/answer", p + "/answer", agent,
                "{\"status\":\"ACCEPTED\",\"text\":\"Retenu.\"}", 200);
        call("GET", "/consultations/{consultationId}/results", i + "/results", resident, null, 403);
        call("DELETE", "/consultations/{consultationId}/proposals/{proposalId}/support", p + "/support", resident, null, 204);
        call("POST", "/consultations/{consultationId}/proposals/{proposalId}/flag", p + "/flag", agent, null, 204);
        call("POST", "/consultations/{consultationId}/proposals/{proposalId}/hide", p + "/hide", agent, "{\"reason\":\"Doublon\"}", 204);

        assertThat(problems).isEmpty();
    }

    @Test
    void budgetsAnswers_matchTheDescription() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode budget = call("POST", "/budgets", "/budgets", agent, """
                {"title":"Budget contrat","description":"Un budget.","district":"centre","amount":100000,
                 "rule":{"kind":"KNAPSACK","minSharePercent":10},"allowChange":true,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.minusSeconds(60), now.plus(1, ChronoUnit.DAYS), now.plus(2, ChronoUnit.DAYS), now.plus(3, ChronoUnit.DAYS)), 201);
        String b = "/budgets/" + budget.path("id").asText();
        call("GET", "/budgets", "/budgets?limit=2", resident, null, 200);
        call("POST", "/budgets/{budgetId}/schedule", b + "/schedule", agent, null, 200);
        call("GET", "/budgets/{budgetId}", b, resident, null, 200);
        JsonNode project = call("POST", "/budgets/{budgetId}/projects", b + "/projects", resident, """
                {"title":"Des bancs","description":"Des bancs à l'ombre sur la place.","location":{"latitude":45.76,"longitude":4.83,"address":"place du marché"},"cost":20000}""", 201);
        String p = b + "/projects/" + project.path("id").asText();
        call("GET", "/budgets/{budgetId}/projects", b + "/projects", resident, null, 200);
        call("POST", "/budgets/{budgetId}/next-phase", b + "/next-phase", agent, null, 200);
        call("PUT", "/budgets/{budgetId}/projects/{projectId}/review", p + "/review", agent,
                "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable.\",\"estimatedCost\":25000}", 200);
        call("POST", "/budgets/{budgetId}/next-phase", b + "/next-phase", agent, null, 200);
        call("PUT", "/budgets/{budgetId}/ballot", b + "/ballot", resident, "{\"projectIds\":[\"" + project.path("id").asText() + "\"]}", 200);
        call("POST", "/budgets/{budgetId}/ballot/confirm", b + "/ballot/confirm", resident, null, 200);
        call("POST", "/budgets/{budgetId}/ballot/confirm", b + "/ballot/confirm", resident, null, 409);
        call("GET", "/budgets/{budgetId}/ballot", b + "/ballot", resident, null, 200);
        call("GET", "/budgets/{budgetId}/participation", b + "/participation", agent, null, 200);
        call("GET", "/budgets/{budgetId}/participation", b + "/participation", resident, null, 403);
        call("GET", "/budgets/{budgetId}/results", b + "/results", resident, null, 403);
        call("POST", "/budgets/{budgetId}/next-phase", b + "/next-phase", agent, null, 200);
        call("POST", "/budgets/{budgetId}/publish-results", b + "/publish-results", agent, null, 200);
        call("GET", "/budgets/{budgetId}/results", b + "/results", resident, null, 200);
        call("GET", "/budgets/{budgetId}/export", b + "/export?format=json", resident, null, 200);
        call("GET", "/budgets/{budgetId}/export", b + "/export", resident, null, 200);
        call("PUT", "/budgets/{budgetId}/projects/{projectId}/implementation", p + "/implementation", agent,
                "{\"status\":\"IN_PROGRESS\",\"percent\":20}", 200);
        call("POST", "/budgets/{budgetId}/projects/{projectId}/updates", p + "/updates", agent,
                "{\"date\":\"2026-11-20\",\"text\":\"Commande passée.\"}", 201);
        call("GET", "/budgets/{budgetId}/projects/{projectId}", p, resident, null, 200);

        assertThat(problems).isEmpty();
    }

    @Test
    void telemetryAnswers_matchTheDescription() throws Exception {
        String deviceId = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        String owner = "owner-" + deviceId;
        String ownerToken = platform.issuer().mint(LocalIssuer.User.of(owner, "resident").inDistrict("centre"));
        call("POST", "/devices", "/devices", agent, """
                {"id":"%s","kind":"ELECTRICITY_METER","district":"centre","ownerId":"%s"}""".formatted(deviceId, owner), 201);
        call("POST", "/devices", "/devices", agent, "{\"id\":\"X\",\"kind\":\"ELECTRICITY_METER\"}", 400);
        String d = "/devices/" + deviceId;
        call("GET", "/devices/mine", "/devices/mine", ownerToken, null, 200);
        call("GET", "/devices/{deviceId}", d, ownerToken, null, 200);
        call("GET", "/devices/{deviceId}", d, stranger, null, -1);
        call("GET", "/devices/{deviceId}/latest", d + "/latest", ownerToken, null, -1);
        call("GET", "/devices/{deviceId}/readings", d + "/readings?limit=10", ownerToken, null, 200);
        call("GET", "/devices/{deviceId}/rollups", d + "/rollups?period=day", ownerToken, null, 200);
        call("GET", "/devices/{deviceId}/ngsi-ld", d + "/ngsi-ld", ownerToken, null, -1);
        call("GET", "/ngsi-ld/v1/entities", "/ngsi-ld/v1/entities?type=AirQualityObserved", resident, null, -1);
        // A located parking sensor makes its district's on-street parking site, with or without a reading.
        call("POST", "/devices", "/devices", agent, """
                {"id":"%s-spot","kind":"PARKING_SENSOR","district":"centre","latitude":45.76,"longitude":4.83}""".formatted(deviceId), 201);
        JsonNode sites = call("GET", "/ngsi-ld/v1/entities", "/ngsi-ld/v1/entities?type=OnStreetParking&q="
                + enc("areaServed==\"centre\";totalSpotNumber>=1") + "&georel=" + enc("near;maxDistance==2000")
                + "&geometry=Point&coordinates=" + enc("[4.83,45.76]") + "&options=keyValues", resident, null, 200);
        assertThat(sites.findValuesAsText("id")).as("q and georel reach the function as sent").contains("urn:ngsi-ld:OnStreetParking:centre");
        call("GET", "/ngsi-ld/v1/entities/{entityId}", "/ngsi-ld/v1/entities/urn:ngsi-ld:OnStreetParking:centre", resident, null, 200);
        call("GET", "/ngsi-ld/v1/entities/{entityId}", "/ngsi-ld/v1/entities/urn:ngsi-ld:OnStreetParking:centre?options=keyValues",
                resident, null, 200);
        call("GET", "/ngsi-ld/v1/entities/{entityId}", "/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:nobody", resident, null, 404);
        call("GET", "/ngsi-ld/v1/entities", "/ngsi-ld/v1/entities?type=AirQualityObserved&q=pm10", resident, null, 400);
        call("GET", "/ngsi-ld/v1/jsonldContexts/territoire", "/ngsi-ld/v1/jsonldContexts/territoire", null, null, 200);
        call("GET", "/districts/{district}/aggregates", "/districts/centre/aggregates?kind=ELECTRICITY_METER&period="
                + LocalDate.now(), resident, null, 200);
        call("GET", "/alerts", "/alerts?active=true", ownerToken, null, 200);
        call("GET", "/me/telemetry", "/me/telemetry?limit=10", ownerToken, null, 200);
        call("DELETE", "/me/telemetry", "/me/telemetry", ownerToken, null, 200);

        assertThat(problems).isEmpty();
    }

    /** Sends, checks the answer against the description, and returns its JSON body (or a missing node). */
    private JsonNode call(String method, String template, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            if (expected >= 200 && expected < 300) {
                problems.addAll(contract.checkRequest(method, template, body));
            }
        }
        return answer(method, template, HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()), expected);
    }

    private JsonNode form(String path, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return answer("POST", path, HTTP.send(request, HttpResponse.BodyHandlers.ofString()), expected);
    }

    private JsonNode answer(String method, String template, HttpResponse<String> response, int expected) {
        if (expected > 0) {
            assertThat(response.statusCode()).as(method + " " + template + ": " + response.body()).isEqualTo(expected);
        }
        problems.addAll(contract.check(method, template, response.statusCode(),
                response.headers().firstValue("content-type").orElse(null), response.body()));
        String type = response.headers().firstValue("content-type").orElse("");
        return type.contains("json") && !response.body().isEmpty() ? Json.tree(response.body()) : Json.MAPPER.missingNode();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
