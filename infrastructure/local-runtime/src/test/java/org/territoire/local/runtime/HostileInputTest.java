package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * What a hostile or careless client sends, over HTTP, to every route: each field of a valid
 * body replaced in turn by a value that has broken a platform before (half a surrogate pair,
 * the ends of {@code Instant}, numbers past any range, the wrong type), hostile query
 * parameters and path segments. The answer is always a clear 4xx (or a success where the value
 * is acceptable), never a 5xx.
 */
class HostileInputTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** As they would stand in a JSON document. */
    private static final List<String> VALUES = List.of("\"caf\\ud800\"", "\"\\udc00\"", "\"+999999999-12-31T23:59:59Z\"",
            "\"-999999999-01-01T00:00:00Z\"", "\"+999999999-12-31T23:59:59+18:00\"", "1e308", "-1e308",
            "123456789012345678901234567890", "-1", "0", "4.9", "\"\"", "\"NaN\"", "true", "[]", "{}", "null",
            "\"" + "x".repeat(5000) + "\"");
    private static final List<String> QUERY_VALUES = List.of("%2B999999999-12-31T23%3A59%3A59Z", "-999999999-01-01",
            "NaN", "%ED%A0%80", "99999999999999999999", "-1");
    private static final List<String> QUERY_NAMES = List.of("from", "to", "date", "days", "period", "limit", "bbox", "status",
            "kind", "latitude", "longitude", "serviceId", "nextToken", "type", "district", "format", "active", "lat", "long",
            "start_date", "end_date", "service_request_id", "needsAnswer");
    private static final List<String> SEGMENTS = List.of("%ED%A0%80", "%00", "x".repeat(2000), "..", "%2F");

    private static LocalPlatform platform;
    private static String agent;
    private static String resident;
    private static final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-hostile", "agent", "admin").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("resident-hostile", "resident").inDistrict("centre"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void everyFieldOfEveryMainBody_takesHostileValues_withoutA5xx() throws Exception {
        String service = created(post("/services", agent, """
                {"name":"Jardin hostile","kind":"PEER","category":"equipment-sharing","organisationId":"asso-jardin",
                 "districts":["centre"],"location":{"latitude":45.76,"longitude":4.83}}"""), "id");
        String resource = created(post("/resources", agent, """
                {"kind":"COMMON_ROOM","name":"Salle hostile","organisationId":"mairie","district":"centre","capacity":2,
                 "slotMinutes":60,"maxDurationMinutes":240,"maxAdvanceDays":30}"""), "id");
        Instant opens = Instant.now().minusSeconds(60);
        String poll = created(post("/consultations", agent, """
                {"title":"Sondage hostile","description":"Une question pour les tests.","kind":"POLL","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","allowChange":true,
                 "questions":[{"text":"Oui ou non ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]},{"text":"Note","type":"SCALE"}]}"""
                .formatted(opens, opens.plus(Duration.ofDays(7)))), "consultation", "id");
        assertThat(post("/consultations/" + poll + "/schedule", agent, "").statusCode()).isEqualTo(200);
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1).toString();

        Map<String, Object[]> bodies = new LinkedHashMap<>();
        bodies.put("/services", new Object[] {agent, """
                {"name":"Service hostile","kind":"PEER","category":"equipment-sharing","organisationId":"asso-jardin",
                 "districts":["centre"],"location":{"latitude":45.76,"longitude":4.83},"description":"Une description."}"""});
        bodies.put("/services/" + service + "/evaluations", new Object[] {resident, "{\"rating\":4,\"comment\":\"Bien.\"}"});
        bodies.put("/reports", new Object[] {resident, """
                {"serviceId":"%s","description":"Lampadaire éteint depuis lundi","latitude":45.764,"longitude":4.8357}"""
                .formatted(service)});
        bodies.put("/resources", new Object[] {agent, """
                {"kind":"COMMON_ROOM","name":"Salle","organisationId":"mairie","district":"centre","capacity":2,"slotMinutes":60,
                 "maxDurationMinutes":240,"maxAdvanceDays":30,"location":{"latitude":45.76,"longitude":4.83}}"""});
        bodies.put("/bookings", new Object[] {resident, """
                {"resourceId":"%s","start":"%sT10:00:00+01:00","end":"%sT11:00:00+01:00","units":1}"""
                .formatted(resource, tomorrow, tomorrow)});
        bodies.put("/consultations", new Object[] {agent, """
                {"title":"Un sondage","description":"Une description.","kind":"POLL","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","questions":[{"text":"Oui ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(opens.plus(Duration.ofDays(1)), opens.plus(Duration.ofDays(8)))});
        bodies.put("/consultations/" + poll + "/participation", new Object[] {resident, """
                {"answers":[{"questionId":"q1","choices":["c1"]},{"questionId":"q2","value":3}]}"""});
        bodies.put("/devices", new Object[] {agent, """
                {"id":"hostile-air-%s","kind":"AIR_QUALITY","district":"centre","latitude":45.76,"longitude":4.83,"name":"Capteur"}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8))});

        int sent = 0;
        for (var entry : bodies.entrySet()) {
            String token = (String) entry.getValue()[0];
            JsonNode valid = Json.tree((String) entry.getValue()[1]);
            for (List<Object> path : leaves(valid, new ArrayList<>())) {
                for (String value : VALUES) {
                    String body = Json.write(replaced(valid, path, Json.tree(value)));
                    // Json.write re-escapes a lone surrogate as "?": splice the raw JSON text in instead.
                    body = value.contains("\\u") ? spliced(valid, path, value) : body;
                    check("POST " + entry.getKey() + " with " + path + " = " + abbreviated(value), post(entry.getKey(), token, body));
                    sent++;
                }
            }
        }
        assertThat(sent).isGreaterThan(500);
        assertThat(failures).isEmpty();
    }

    @Test
    void everyRoute_takesHostileQueriesAndPathSegments_withoutA5xx() throws Exception {
        List<SamTemplate.HttpRoute> routes = new ArrayList<>();
        SamTemplate.load().functions().forEach(f -> routes.addAll(f.routes()));
        for (SamTemplate.HttpRoute route : routes) {
            String plain = route.path().replaceAll("\\{[^}]+}", "probe");
            if (route.method().equals("GET")) {
                for (String name : QUERY_NAMES) {
                    for (String value : QUERY_VALUES) {
                        check("GET " + plain + "?" + name + "=" + value, send(route.method(), plain + "?" + name + "=" + value, agent, null));
                    }
                }
            }
            if (route.path().contains("{")) {
                for (String segment : SEGMENTS) {
                    String path = route.path().replaceAll("\\{[^}]+}", java.util.regex.Matcher.quoteReplacement(segment));
                    check(route.method() + " " + abbreviated(path), send(route.method(), path, agent, route.method().equals("GET")
                            || route.method().equals("DELETE") ? null : "{}"));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void check(String what, HttpResponse<String> response) {
        if (response.statusCode() >= 500) {
            failures.add(what + " -> " + response.statusCode() + " " + abbreviated(response.body()));
        }
    }

    /** Every leaf of a JSON document, as a path of member names and indexes. */
    private static List<List<Object>> leaves(JsonNode node, List<Object> at) {
        List<List<Object>> out = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(e -> {
                List<Object> next = new ArrayList<>(at);
                next.add(e.getKey());
                out.addAll(leaves(e.getValue(), next));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> next = new ArrayList<>(at);
                next.add(i);
                out.addAll(leaves(node.get(i), next));
            }
        }
        if (!at.isEmpty()) {
            out.add(at);
        }
        return out;
    }

    private static JsonNode replaced(JsonNode document, List<Object> path, JsonNode value) {
        JsonNode copy = document.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            parent = path.get(i) instanceof Integer index ? parent.get(index) : parent.get((String) path.get(i));
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer index) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(index, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    /** The document with the leaf at {@code path} replaced by raw JSON text (kept byte for byte). */
    private static String spliced(JsonNode document, List<Object> path, String rawValue) {
        String marker = "\"__HOSTILE_" + UUID.randomUUID() + "__\"";
        return Json.write(replaced(document, path, Json.tree(marker))).replace(marker, rawValue);
    }

    private static String created(HttpResponse<String> response, String... path) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode node = Json.tree(response.body());
        for (String name : path) {
            node = node.path(name);
        }
        return node.asText();
    }

    private static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return send("POST", path, token, body);
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", UUID.randomUUID().toString());
        if (body == null || body.isEmpty()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviated(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
