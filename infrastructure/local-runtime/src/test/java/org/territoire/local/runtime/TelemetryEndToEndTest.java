package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

/**
 * The device path end to end, as in AWS: a device registered over HTTP publishes with the IoT
 * Device SDK's MQTT client on the Basic Ingest topic; the template's rule invokes the ingest
 * function; the API shows the latest value and rollups; a parking sensor's change reaches the
 * bookings capability through the event bus.
 */
class TelemetryEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void readingsPublishedOverMqtt_throughTheRule_areStored_rolledUp_andAnnounced() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
             DeviceSimulator devices = new DeviceSimulator("127.0.0.1", platform.iot().port())) {
            assertThat(platform.iot().ruleNames()).contains(DeviceSimulator.RULE);
            String agent = platform.issuer().mint(LocalIssuer.User.of("agent-tel", "agent").ofOrganisation("mairie"));
            String resident = platform.issuer().mint(LocalIssuer.User.of("res-tel", "resident").inDistrict("gare"));
            String air = "air-" + UUID.randomUUID();
            // Registered with its own CSR, then connected as itself with the certificate it was issued.
            devices.register(platform.apiUrl(), agent, """
                    {"id":"%s","kind":"AIR_QUALITY","district":"gare","latitude":45.75,"longitude":4.82}""".formatted(air));
            Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));

            devices.publish("gare", air, """
                    {"readings":[{"at":"%s","pm2_5_ugm3":11.5,"pm10_ugm3":20},{"at":"%s","pm2_5_ugm3":13.5},{"at":"%s","pm2_5_ugm3":"x"}]}"""
                    .formatted(t, t.plusSeconds(600), t.plusSeconds(700)));
            devices.publish("gare", air, "{\"at\":\"%s\",\"pm2_5_ugm3\":13.5}".formatted(t.plusSeconds(600))); // a redelivery
            devices.publish("gare", air, "not json at all");

            JsonNode latest = poll(platform, "/devices/" + air + "/latest", resident, n -> n.path("at").asText().equals(Json.time(t.plusSeconds(600))));
            assertThat(latest.path("values").path("pm2_5_ugm3").asDouble()).isEqualTo(13.5);
            JsonNode hours = poll(platform, "/devices/" + air + "/rollups?period=hour&from=" + t.minusSeconds(3600) + "&to=" + t.plusSeconds(3600),
                    resident, n -> n.path("items").findValues("readings").stream().mapToLong(JsonNode::asLong).sum() == 2);
            assertThat(hours.path("items")).isNotEmpty();
            assertThat(send(platform, "GET", "/devices/" + air + "/ngsi-ld", resident, null, 200).path("type").asText())
                    .isEqualTo("AirQualityObserved");

            // A parking sensor watching a bookable spot: its change reaches bookings through the bus.
            JsonNode spot = send(platform, "POST", "/resources", agent, """
                    {"kind":"SHARED_PARKING","name":"Place %s","organisationId":"mairie","district":"gare",
                     "capacity":1,"slotMinutes":5,"maxDurationMinutes":240}""".formatted(UUID.randomUUID()), 201);
            String sensor = "spot-" + UUID.randomUUID();
            devices.register(platform.apiUrl(), agent, """
                    {"id":"%s","kind":"PARKING_SENSOR","district":"gare","resourceId":"%s"}""".formatted(sensor, spot.path("id").asText()));
            devices.publish("gare", sensor, "{\"at\":\"%s\",\"occupied\":true}".formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

            JsonNode occupancy = poll(platform, "/resources/" + spot.path("id").asText() + "/occupancy", resident,
                    n -> n.path("occupied").asBoolean(false));
            assertThat(occupancy.path("occupied").asBoolean()).isTrue();
            // The message that was not JSON never reached the function: the rule's error action took it, as in AWS.
            assertThat(platform.iot().deadLetters()).singleElement().satisfies(d -> assertThat(d.reason()).contains("JSON object"));
        }
    }

    private static JsonNode poll(LocalPlatform platform, String path, String token, Predicate<JsonNode> done) throws Exception {
        JsonNode last = null;
        for (Instant deadline = Instant.now().plusSeconds(20); Instant.now().isBefore(deadline); Thread.sleep(100)) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                last = Json.tree(response.body());
                if (done.test(last)) {
                    return last;
                }
            }
        }
        throw new AssertionError(path + " never reached the expected state; last: " + last);
    }

    private static JsonNode send(LocalPlatform platform, String method, String path, String token, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expected);
        return Json.tree(response.body());
    }
}
