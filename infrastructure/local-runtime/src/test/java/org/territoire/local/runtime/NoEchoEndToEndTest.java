package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * No answer echoes what the request sent: a marker in every field, path segment, query
 * parameter, field name and malformed body, sent over HTTP to a sample of every function's
 * routes, never comes back (in any case) in a body or a header. What is sent may be a secret
 * (an Open311 api_key in a JSON body) or a script, and problems end up in client logs.
 */
class NoEchoEndToEndTest {
    private static final String M = "SECRET-MARKER-123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String agent;
    private static String resident;
    private static String provider;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-echo", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-echo", "resident").inDistrict("centre"));
        provider = platform.issuer().mint(LocalIssuer.User.of("provider-echo", "provider").ofOrganisation("mairie"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private record Probe(String method, String path, String token, String contentType, String body) {
        static Probe get(String path, String token) {
            return new Probe("GET", path, token, null, null);
        }

        static Probe json(String method, String path, String token, String body) {
            return new Probe(method, path, token, "application/json", body);
        }
    }

    @Test
    void aHostileMarker_neverComesBack_fromAnyFunction() throws Exception {
        List<Probe> probes = new ArrayList<>();
        feedback(probes);
        open311(probes);
        bookings(probes);
        consultations(probes);
        telemetry(probes);
        // The kernel: no route, another method, a malformed body, a bad Idempotency-Key.
        probes.add(Probe.get("/services/" + M + "/" + M, resident));
        probes.add(Probe.json("PATCH", "/services/" + M, agent, "{}"));
        probes.add(new Probe("POST", "/services", agent, "application/json", "{\"name\":\"" + M));
        probes.add(new Probe("POST", "/services", agent, "application/json", "{\"" + M + "\":\"" + M + "\"}"));
        probes.add(new Probe("POST", "/services", agent, "application/json", "[\"" + M + "\"]"));
        probes.add(new Probe("POST", "/services", agent, "application/json", M));

        SoftAssertions softly = new SoftAssertions();
        int refused = 0;
        for (Probe probe : probes) {
            HttpResponse<String> response = send(probe);
            String what = probe.method() + " " + probe.path() + " " + probe.body() + " -> " + response.statusCode() + " " + response.body();
            refused += response.statusCode() >= 400 ? 1 : 0;
            softly.assertThat(response.statusCode()).as(what).isLessThan(500);
            softly.assertThat(response.body().toLowerCase(Locale.ROOT)).as(what).doesNotContain(M.toLowerCase(Locale.ROOT));
            softly.assertThat(response.headers().map().values().toString().toLowerCase(Locale.ROOT)).as(what + " (headers)")
                    .doesNotContain(M.toLowerCase(Locale.ROOT));
        }
        softly.assertAll();
        // The probes reached the functions' refusals (a gateway 404 would prove nothing).
        assertThat(refused).isGreaterThan(probes.size() * 3 / 4);
        assertThat(probes).hasSizeGreaterThan(80);
    }

    private static void feedback(List<Probe> p) {
        String service = "{\"name\":\"%1$s\",\"description\":\"%1$s\",\"kind\":\"%2$s\",\"category\":\"%1$s\",\"organisationId\":\"%1$s\","
                + "\"districts\":[\"%1$s\"],\"location\":{\"latitude\":%3$s,\"longitude\":%3$s}}";
        p.add(Probe.json("POST", "/services", agent, service.formatted(M, M, 1)));
        p.add(Probe.json("POST", "/services", agent, service.formatted(M, "TERRITORIAL", "\"" + M + "\"")));
        p.add(Probe.json("POST", "/services", agent, service.formatted(M, "TERRITORIAL", 99)));
        p.add(Probe.json("POST", "/services", provider, service.formatted(M, "PEER", 1)));
        p.add(Probe.get("/services/" + M, resident));
        p.add(Probe.json("PUT", "/services/" + M, agent, "{\"name\":\"" + M + "\"}"));
        p.add(new Probe("DELETE", "/services/" + M, agent, null, null));
        p.add(Probe.get("/services?kind=" + M + "&limit=" + M, resident));
        p.add(Probe.get("/services?nextToken=" + M, resident));
        p.add(Probe.json("POST", "/services/" + M + "/evaluations", resident, "{\"rating\":\"" + M + "\",\"comment\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/services/" + M + "/evaluations", resident, "{\"rating\":4,\"comment\":\"" + M + "\"}"));
        p.add(Probe.get("/services/" + M + "/evaluations", resident));
        p.add(Probe.get("/services/" + M + "/evaluations/mine", resident));
        p.add(Probe.json("POST", "/services/" + M + "/evaluations/" + M + "/reply", agent, "{\"reply\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/services/" + M + "/evaluations/" + M + "/hide", agent, "{\"reason\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/reports", resident, "{\"serviceId\":\"%1$s\",\"description\":\"%1$s %1$s\",\"latitude\":45.76,\"longitude\":4.83,\"address\":\"%1$s\",\"contactPreference\":\"%1$s\"}".formatted(M)));
        p.add(Probe.json("POST", "/reports", resident, "{\"serviceId\":\"%1$s\",\"description\":\"%1$s %1$s\",\"latitude\":45.76,\"longitude\":4.83,\"mediaUrl\":\"%1$s\"}".formatted(M)));
        p.add(Probe.get("/reports/" + M, resident));
        p.add(Probe.json("POST", "/reports/" + M + "/status", agent, "{\"status\":\"" + M + "\",\"note\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/reports/" + M + "/status", agent, "{\"status\":\"DUPLICATE\",\"duplicateOf\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/reports/" + M + "/follow", resident, ""));
        p.add(Probe.get("/reports?bbox=" + M, null));
        p.add(Probe.get("/reports?bbox=4.8,45.7,4.9,45.8&status=" + M, null));
        p.add(Probe.get("/reports/nearby?latitude=" + M + "&longitude=" + M + "&serviceId=" + M, resident));
        p.add(Probe.get("/organisations/" + M + "/reports?status=" + M, agent));
        p.add(Probe.json("POST", "/organisations/" + M + "/open311-keys", provider, "{\"name\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/organisations/mairie/open311-keys", agent, "{\"name\":\"" + M + "\",\"" + M + "\":1}"));
        p.add(new Probe("DELETE", "/organisations/mairie/open311-keys/" + M, agent, null, null));
    }

    private static void open311(List<Probe> p) {
        String base = "/open311/v2";
        String json = "{\"api_key\":\"t311_0123456789abcdef_%1$s\",\"service_code\":\"%1$s\",\"description\":\"%1$s\"}".formatted(M);
        // The finding: a JSON body (api_key included) came back whole in the error.
        p.add(new Probe("POST", base + "/requests.json", null, "application/json", json));
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded", json));
        String form = "api_key=%1$s&service_code=%1$s&lat=%1$s&long=%1$s&address_string=%1$s&email=%1$s&first_name=%1$s"
                + "&last_name=%1$s&phone=%1$s&description=%1$s&media_url=%1$s&device_id=%1$s&account_id=%1$s";
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded", form.formatted(M)));
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded",
                "api_key=" + M + "&service_code=" + M + "&description=" + M + "+" + M + "&address_string=" + M));
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded",
                "service_code=x&attribute%5B" + M + "%5D=" + M + "&attribute%5Bcontact_preference%5D=" + M));
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded", M + "=" + M + "&" + M + "=1"));
        p.add(new Probe("POST", base + "/requests.json", null, "application/x-www-form-urlencoded", "api_key=" + M + "&api_key=" + M));
        p.add(new Probe("POST", base + "/requests.json", "not-a-token-" + M, "application/x-www-form-urlencoded", "service_code=" + M));
        p.add(Probe.get(base + "/requests/" + M + ".json", null));
        p.add(Probe.get(base + "/requests/" + M, null));
        p.add(Probe.get(base + "/services/" + M + ".json", null));
        p.add(Probe.get(base + "/tokens/" + M + ".json", null));
        p.add(Probe.get(base + "/requests.json?start_date=" + M + "&end_date=" + M, null));
        p.add(Probe.get(base + "/requests.json?status=" + M + "&service_code=" + M, null));
        p.add(Probe.get(base + "/requests.json?service_request_id=" + M, null));
        // The same refusals in XML, and paths that are no GeoReport route (the catch-all).
        p.add(new Probe("POST", base + "/requests.xml", null, "application/x-www-form-urlencoded", form.formatted(M)));
        p.add(Probe.get(base + "/requests/" + M + ".xml", null));
        p.add(Probe.get(base + "/requests.xml?status=" + M + "&service_code=" + M, null));
        p.add(Probe.get(base + "/" + M + ".xml", null));
        p.add(Probe.get("/open311/" + M + "/" + M + ".json", null));
    }

    private static void bookings(List<Probe> p) {
        String resource = "{\"kind\":\"%2$s\",\"name\":\"%1$s\",\"description\":\"%1$s\",\"organisationId\":\"%1$s\",\"district\":\"%1$s\","
                + "\"capacity\":%3$s,\"openingHours\":{\"%1$s\":[\"%1$s\"],\"monday\":[\"%1$s\",\"08:07-09:00\"]},\"timeZone\":\"%1$s\"}";
        p.add(Probe.json("POST", "/resources", agent, resource.formatted(M, M, 1)));
        p.add(Probe.json("POST", "/resources", agent, resource.formatted(M, "MEETING_ROOM", "\"" + M + "\"")));
        p.add(Probe.json("POST", "/resources", agent, resource.formatted(M, "MEETING_ROOM", 2)));
        p.add(Probe.get("/resources/" + M, resident));
        p.add(Probe.json("PATCH", "/resources/" + M, agent, "{\"name\":\"" + M + "\"}"));
        p.add(new Probe("DELETE", "/resources/" + M, agent, null, null));
        p.add(Probe.get("/resources/" + M + "/availability?date=" + M + "&days=" + M, resident));
        p.add(Probe.get("/resources/" + M + "/availability?date=2026-12-01", resident));
        p.add(Probe.get("/resources/" + M + "/bookings?nextToken=" + M, agent));
        p.add(Probe.get("/resources/" + M + "/occupancy", resident));
        p.add(Probe.get("/resources?kind=" + M + "&nextToken=" + M, resident));
        p.add(Probe.json("POST", "/bookings", resident, "{\"resourceId\":\"%1$s\",\"start\":\"%1$s\",\"end\":\"%1$s\",\"units\":1}".formatted(M)));
        p.add(Probe.json("POST", "/bookings", resident, "{\"resourceId\":\"" + M + "\",\"start\":\"2026-12-01T10:00:00+01:00\","
                + "\"end\":\"2026-12-01T11:00:00+01:00\",\"units\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/bookings", resident, "{\"resourceId\":\"" + M + "\",\"start\":\"2026-12-01T10:00:00+01:00\","
                + "\"end\":\"2026-12-01T11:00:00+01:00\",\"units\":1}"));
        p.add(Probe.get("/bookings/" + M, resident));
        p.add(Probe.get("/bookings/mine?nextToken=" + M, resident));
        p.add(Probe.json("POST", "/bookings/" + M + "/cancel", resident, "{\"reason\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/bookings/" + M + "/check-in", resident, ""));
        p.add(Probe.json("POST", "/bookings/" + M + "/approve", agent, ""));
        p.add(Probe.get("/calendar/" + M + ".ics", null));
        p.add(Probe.get("/calendar/" + M, null));
        p.add(Probe.get("/quotas/" + M, resident));
        p.add(Probe.json("PUT", "/quotas/" + M, agent, "{\"maxActive\":\"" + M + "\"}"));
        p.add(Probe.json("PUT", "/quotas/MEETING_ROOM", agent, "{\"kind\":\"" + M + "\"}"));
    }

    private static void consultations(List<Probe> p) throws Exception {
        String consultation = "{\"title\":\"%1$s\",\"description\":\"%1$s\",\"kind\":\"%2$s\",\"districts\":[\"%1$s\"],"
                + "\"opensAt\":\"%3$s\",\"closesAt\":\"%1$s\",\"questions\":[{\"text\":\"%1$s\",\"type\":\"%1$s\",\"choices\":[\"%1$s\"]}]}";
        p.add(Probe.json("POST", "/consultations", agent, consultation.formatted(M, M, M)));
        p.add(Probe.json("POST", "/consultations", agent, consultation.formatted(M, "POLL", M)));
        p.add(Probe.json("POST", "/consultations", agent, consultation.formatted(M, "POLL", Instant.now())));
        p.add(Probe.get("/consultations/" + M, resident));
        p.add(Probe.get("/consultations?nextToken=" + M, resident));
        p.add(Probe.json("PUT", "/consultations/" + M, agent, consultation.formatted(M, "POLL", Instant.now())));
        p.add(Probe.json("POST", "/consultations/" + M + "/schedule", agent, ""));
        String answers = "{\"answers\":[{\"questionId\":\"%1$s\",\"choices\":[\"%1$s\"],\"text\":\"%1$s\"}]}".formatted(M);
        p.add(Probe.json("POST", "/consultations/" + M + "/participation", resident, answers));
        p.add(Probe.get("/consultations/" + M + "/results", resident));
        p.add(Probe.get("/consultations/" + M + "/export?format=" + M, resident));
        p.add(Probe.json("POST", "/consultations/" + M + "/proposals", resident, "{\"title\":\"" + M + "\",\"body\":\"" + M + "\"}"));
        p.add(Probe.get("/consultations/" + M + "/proposals/" + M, resident));
        p.add(Probe.json("POST", "/consultations/" + M + "/proposals/" + M + "/support", resident, ""));
        p.add(Probe.json("POST", "/consultations/" + M + "/proposals/" + M + "/comments", resident, "{\"text\":\"" + M + "\"}"));
        p.add(Probe.json("POST", "/consultations/" + M + "/proposals/" + M + "/comments/" + M + "/flag", resident, ""));
        // A real open poll, answered with a question and a choice it does not have.
        Instant opens = Instant.now().minusSeconds(60);
        HttpResponse<String> poll = send(Probe.json("POST", "/consultations", agent, """
                {"title":"Horaires de la piscine","description":"Quand voulez-vous qu'elle ouvre ?","kind":"POLL",
                 "districts":["centre"],"opensAt":"%s","closesAt":"%s",
                 "questions":[{"text":"Ouverture le dimanche ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(opens, opens.plusSeconds(86_400))));
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(201);
        String id = Json.tree(poll.body()).path("consultation").path("id").asText();
        assertThat(send(Probe.json("POST", "/consultations/" + id + "/schedule", agent, "")).statusCode()).isEqualTo(200);
        p.add(Probe.json("POST", "/consultations/" + id + "/participation", resident, answers));
        p.add(Probe.json("POST", "/consultations/" + id + "/participation", resident,
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"" + M + "\"]}]}"));
        p.add(Probe.json("POST", "/consultations/" + id + "/participation", resident,
                "{\"answers\":[{\"questionId\":\"q1\",\"value\":\"" + M + "\"}]}"));
    }

    private static void telemetry(List<Probe> p) {
        String device = "{\"id\":\"%1$s\",\"kind\":\"%2$s\",\"district\":\"%1$s\",\"latitude\":%3$s,\"longitude\":45,\"ownerId\":\"%1$s\","
                + "\"resourceId\":\"%1$s\",\"name\":\"%1$s\"}";
        p.add(Probe.json("POST", "/devices", agent, device.formatted(M, M, 1)));
        p.add(Probe.json("POST", "/devices", agent, device.formatted(M, "NOISE", "\"" + M + "\"")));
        p.add(Probe.json("POST", "/devices", agent, device.formatted(M, "NOISE", 1)));
        p.add(Probe.get("/devices/" + M, resident));
        p.add(Probe.get("/devices/" + M + "/latest", resident));
        p.add(Probe.get("/devices/" + M + "/readings?from=" + M + "&to=" + M + "&limit=" + M + "&nextToken=" + M, resident));
        p.add(Probe.get("/devices/" + M + "/rollups?period=" + M + "&from=" + M, resident));
        p.add(Probe.get("/devices/" + M + "/ngsi-ld", resident));
        p.add(Probe.get("/ngsi-ld/v1/entities?type=" + M + "&q=" + M, resident));
        p.add(Probe.get("/ngsi-ld/v1/entities/urn:ngsi-ld:AirQualityObserved:" + M + "?options=" + M, resident));
        p.add(Probe.get("/ngsi-ld/v1/entities/" + M, resident));
        p.add(Probe.get("/ngsi-ld/v1/entities?type=AirQualityObserved&q=areaServed%3D%3D%22centre%22%3Bpm10%3E" + M + "&georel=" + M
                + "&geometry=" + M + "&coordinates=" + M, resident));
        p.add(Probe.get("/districts/" + M + "/aggregates?kind=" + M + "&period=" + M, agent));
        p.add(Probe.get("/districts/" + M + "/aggregates?kind=NOISE&period=" + M, agent));
        p.add(Probe.get("/alerts?active=" + M, agent));
        p.add(Probe.get("/me/telemetry?limit=" + M + "&nextToken=" + M, resident));
    }

    private static HttpResponse<String> send(Probe probe) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + probe.path()))
                .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(probe.body()));
        if (probe.token() != null) {
            request.header("Authorization", "Bearer " + probe.token());
        }
        if (probe.contentType() != null) {
            request.header("Content-Type", probe.contentType());
        }
        if ("POST".equals(probe.method())) {
            request.header("Idempotency-Key", M + "-" + System.nanoTime());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
