package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * {@code supportedByMe} over HTTP against the local endpoint: each signed-in caller is told which proposals they
 * support, never whom else's; it follows a support and its withdrawal at once (consistent reads), and holds past the
 * 100 keys one BatchGetItem call takes.
 */
class ProposalSupportsEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String agent;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-supports", "agent").ofOrganisation("mairie"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static String resident(String who) {
        return platform.issuer().mint(LocalIssuer.User.of(who + "-" + UUID.randomUUID(), "resident").inDistrict("centre"));
    }

    @Test
    void eachCallerSeesTheirOwnSupports_onTheListAndTheItem_andNobodyElses() throws Exception {
        String c = openConsultation();
        String author = resident("author");
        List<String> ids = new ArrayList<>();
        for (String title : List.of("Des bancs au square", "Des arbres rue Haute", "Une fontaine place du marché")) {
            JsonNode p = send("POST", c + "/proposals", author, "{\"title\":\"" + title + "\",\"body\":\"Une idée pour le centre.\"}", 201);
            assertThat(p.path("supportedByMe").asBoolean(true)).isFalse();
            ids.add(p.path("id").asText());
        }
        String bea = resident("bea");
        String cyril = resident("cyril");
        assertThat(send("POST", c + "/proposals/" + ids.get(0) + "/support", bea, null, 200).path("supportedByMe").asBoolean()).isTrue();
        send("POST", c + "/proposals/" + ids.get(1) + "/support", bea, null, 200);
        send("POST", c + "/proposals/" + ids.get(1) + "/support", cyril, null, 200);

        assertThat(supported(c, bea)).containsEntry(ids.get(0), true).containsEntry(ids.get(1), true).containsEntry(ids.get(2), false);
        assertThat(supported(c, cyril)).containsEntry(ids.get(0), false).containsEntry(ids.get(1), true).containsEntry(ids.get(2), false);
        assertThat(supported(c, author)).doesNotContainValue(true);
        assertThat(supported(c, agent)).doesNotContainValue(true);
        assertThat(send("GET", c + "/proposals/" + ids.get(0), bea, null, 200).path("supportedByMe").asBoolean()).isTrue();
        assertThat(send("GET", c + "/proposals/" + ids.get(0), cyril, null, 200).path("supportedByMe").asBoolean(true)).isFalse();

        // Withdrawn, at once false (the list reads consistently), while the count keeps Cyril's support.
        send("DELETE", c + "/proposals/" + ids.get(1) + "/support", bea, null, 204);
        assertThat(supported(c, bea)).containsEntry(ids.get(1), false);
        JsonNode listed = send("GET", c + "/proposals", bea, null, 200).path("items");
        for (JsonNode item : listed) {
            if (item.path("proposal").path("id").asText().equals(ids.get(1))) {
                assertThat(item.path("proposal").path("supports").asLong()).isEqualTo(1);
            }
        }
        // The results rank them for everyone: no caller's supports there.
        assertThat(send("GET", c + "/results", agent, null, 200).toString()).doesNotContain("supportedByMe");
    }

    @Test
    void moreProposalsThanOneBatchGetItemTakes_areAllAnswered() throws Exception {
        String c = openConsultation();
        String author = resident("prolific");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            ids.add(send("POST", c + "/proposals", author, "{\"title\":\"Idée numéro " + i + "\",\"body\":\"Une idée pour le centre.\"}", 201)
                    .path("id").asText());
        }
        String dora = resident("dora");
        send("POST", c + "/proposals/" + ids.get(3) + "/support", dora, null, 200);
        send("POST", c + "/proposals/" + ids.get(104) + "/support", dora, null, 200);
        Map<String, Boolean> mine = supported(c, dora);
        assertThat(mine).hasSize(105);
        assertThat(mine.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)).containsExactlyInAnyOrder(ids.get(3), ids.get(104));
    }

    private static String openConsultation() throws Exception {
        String opens = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
        String closes = Instant.now().plus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode created = send("POST", "/consultations", agent, """
                {"title":"Budget participatif","description":"Vos idées.","kind":"PROPOSALS","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s"}""".formatted(opens, closes), 201);
        String c = "/consultations/" + created.path("consultation").path("id").asText();
        send("POST", c + "/schedule", agent, null, 200);
        return c;
    }

    /** Each listed proposal's supportedByMe, as the caller is told it. */
    private static Map<String, Boolean> supported(String consultation, String token) throws Exception {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (JsonNode item : send("GET", consultation + "/proposals", token, null, 200).path("items")) {
            assertThat(item.path("proposal").has("supportedByMe")).as(item.toString()).isTrue();
            out.put(item.path("proposal").path("id").asText(), item.path("proposal").path("supportedByMe").asBoolean());
        }
        return out;
    }

    private static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("authorization", "Bearer " + token)
                .header("idempotency-key", UUID.randomUUID().toString());
        if (body != null) {
            request.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.tree(response.body());
    }
}
