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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * {@code GET /devices}, the agents' list of the territory's devices, over HTTP: operational
 * metadata only (never an owner or a reading), page by page with the encrypted token, of a
 * district, a kind or both, for agents only, and problem+json naming the field of a bad parameter.
 */
class DevicesListEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static DeviceSimulator simulator;
    private static String agent;
    private static String resident;
    // Districts of this class only: the local endpoint may hold other classes' devices.
    private static final String NORTH = "nord-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SOUTH = "sud-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        simulator = new DeviceSimulator("127.0.0.1", platform.iot().port());
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-list", "agent").ofOrganisation("mairie"));
        resident = platform.issuer().mint(LocalIssuer.User.of("res-list", "resident").inDistrict(NORTH));
    }

    @AfterAll
    static void stop() throws Exception {
        simulator.close();
        platform.close();
    }

    @Test
    void agentsList_theTerritorysDevices_pageByPage_byDistrictAndKind_withoutPersonalData() throws Exception {
        for (String id : List.of("air-a", "air-b", "air-c")) {
            register("{\"id\":\"%s-%s\",\"kind\":\"AIR_QUALITY\",\"district\":\"%s\",\"name\":\"Rue des Lilas\"}".formatted(id, NORTH, NORTH));
        }
        register("{\"id\":\"noise-%s\",\"kind\":\"NOISE\",\"district\":\"%s\",\"latitude\":45.7,\"longitude\":4.8}".formatted(NORTH, NORTH));
        String meter = "meter-" + SOUTH;
        register("{\"id\":\"%s\",\"kind\":\"ELECTRICITY_METER\",\"district\":\"%s\",\"ownerId\":\"res-list\"}".formatted(meter, SOUTH));

        JsonNode north = ok("/devices?district=" + NORTH);
        assertThat(north.path("items").findValuesAsText("id")).containsExactly(
                "air-a-" + NORTH, "air-b-" + NORTH, "air-c-" + NORTH, "noise-" + NORTH);
        assertThat(north.has("nextToken")).isFalse();
        JsonNode first = north.path("items").get(0);
        assertThat(first.path("kind").asText()).isEqualTo("AIR_QUALITY");
        assertThat(first.path("status").asText()).isEqualTo("NEVER_HEARD");
        assertThat(first.path("household").asBoolean(true)).isFalse();
        assertThat(first.has("registeredAt")).isTrue();
        // Privacy by design: no name, position, owner or reading in the list.
        assertThat(north.toString()).doesNotContain("Rue des Lilas", "latitude", "ownerId", "values");

        // Pages of two, the token carrying the filter: the same filter goes on, another one is refused.
        JsonNode page1 = ok("/devices?district=" + NORTH + "&limit=2");
        assertThat(page1.path("items")).hasSize(2);
        String token = page1.path("nextToken").asText();
        JsonNode page2 = ok("/devices?district=" + NORTH + "&limit=2&nextToken=" + enc(token));
        assertThat(page2.path("items").findValuesAsText("id")).containsExactly("air-c-" + NORTH, "noise-" + NORTH);
        assertThat(problem("/devices?district=" + SOUTH + "&limit=2&nextToken=" + enc(token), agent, 400)).isEqualTo("nextToken");

        assertThat(ok("/devices?district=" + NORTH + "&kind=NOISE").path("items").findValuesAsText("id")).containsExactly("noise-" + NORTH);
        JsonNode south = ok("/devices?district=" + SOUTH).path("items");
        assertThat(south).hasSize(1);
        assertThat(south.get(0).path("household").asBoolean()).isTrue();
        // A household's device: when it was last heard from is its owner's alone.
        assertThat(south.get(0).path("status").asText()).isEqualTo("PRIVATE");
        assertThat(south.get(0).has("lastHeardAt")).isFalse();
        assertThat(south.toString()).doesNotContain("res-list");

        // A kind alone, followed page by page to the end.
        List<String> meters = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = ok("/devices?kind=ELECTRICITY_METER&limit=1" + (next == null ? "" : "&nextToken=" + enc(next)));
            page.path("items").forEach(d -> assertThat(d.path("kind").asText()).isEqualTo("ELECTRICITY_METER"));
            meters.addAll(page.path("items").findValuesAsText("id"));
            next = page.hasNonNull("nextToken") ? page.path("nextToken").asText() : null;
        } while (next != null);
        assertThat(meters).contains(meter).doesNotHaveDuplicates();
    }

    @Test
    void aDeviceHeardFrom_isOnline_withTheTimeOfItsNewestReading() throws Exception {
        String district = "est-" + UUID.randomUUID().toString().substring(0, 8);
        String air = "air-" + district;
        simulator.register(platform.apiUrl(), agent, "{\"id\":\"%s\",\"kind\":\"AIR_QUALITY\",\"district\":\"%s\"}".formatted(air, district));
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        simulator.publish(district, air, "{\"at\":\"%s\",\"pm2_5_ugm3\":9.5}".formatted(at));

        JsonNode device = null;
        for (Instant deadline = Instant.now().plusSeconds(20); Instant.now().isBefore(deadline); Thread.sleep(100)) {
            device = ok("/devices?district=" + district).path("items").get(0);
            if (device.path("status").asText().equals("ONLINE")) {
                break;
            }
        }
        assertThat(device.path("status").asText()).isEqualTo("ONLINE");
        assertThat(Instant.parse(device.path("lastHeardAt").asText())).isEqualTo(at);
        assertThat(device.toString()).doesNotContain("pm2_5");
    }

    @Test
    void residents_areRefused_andBadParameters_areProblemsNamingTheField() throws Exception {
        HttpResponse<String> refused = get("/devices", resident);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("content-type")).contains("application/problem+json");

        assertThat(problem("/devices?limit=0", agent, 400)).isEqualTo("limit");
        assertThat(problem("/devices?limit=101", agent, 400)).isEqualTo("limit");
        assertThat(problem("/devices?limit=many", agent, 400)).isEqualTo("limit");
        assertThat(problem("/devices?kind=TOASTER", agent, 400)).isEqualTo("kind");
        assertThat(problem("/devices?district=" + enc("Centre Ville#"), agent, 400)).isEqualTo("district");
        assertThat(problem("/devices?nextToken=not-a-token", agent, 400)).isEqualTo("nextToken");
    }

    private static void register(String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/devices"))
                .header("Authorization", "Bearer " + agent).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = get(path, agent);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    /** The field a problem names. */
    private static String problem(String path, String token, int status) throws Exception {
        HttpResponse<String> response = get(path, token);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/problem+json");
        return Json.tree(response.body()).path("errors").get(0).path("field").asText();
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
