package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * An occupancy sensor's event reaches the bookings capability as it will in AWS: published
 * with the SDK's EventBridge client on the territory's bus, matched by the template's rule,
 * delivered to BookingsEventsFunction, which checks the booking in.
 */
class OccupancyEndToEndTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anOccupiedEvent_onTheBus_checksInTheBookingUnderWay() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
             EventBridgeClient bus = EventBridgeClient.builder().endpointOverride(platform.events().url())
                     .region(Region.of(LocalAws.REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            String agent = platform.issuer().mint(LocalIssuer.User.of("agent-occ", "agent").ofOrganisation("mairie"));
            String driver = platform.issuer().mint(LocalIssuer.User.of("driver-" + UUID.randomUUID(), "resident").inDistrict("gare"));
            JsonNode spot = send(platform, "POST", "/resources", agent, """
                    {"kind":"SHARED_PARKING","name":"Place %s","organisationId":"mairie","district":"gare",
                     "capacity":1,"slotMinutes":5,"maxDurationMinutes":240}""".formatted(UUID.randomUUID()), 201);
            ZonedDateTime now = ZonedDateTime.now(PARIS).withSecond(0).withNano(0);
            ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
            JsonNode booking = send(platform, "POST", "/bookings", driver, """
                    {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(spot.path("id").asText(),
                    start.toOffsetDateTime(), start.plusHours(1).toOffsetDateTime()), 201);

            var result = bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.telemetry")
                    .detailType("Occupancy Changed").detail(Json.write(java.util.Map.of("resourceId", spot.path("id").asText(),
                            "occupied", true, "observedAt", start.toInstant().plusSeconds(30).toString())))));
            assertThat(result.failedEntryCount()).isZero();

            String status = "";
            for (Instant deadline = Instant.now().plusSeconds(15); Instant.now().isBefore(deadline) && !"CHECKED_IN".equals(status); ) {
                Thread.sleep(100);
                status = send(platform, "GET", "/bookings/" + booking.path("id").asText(), driver, null, 200).path("status").asText();
            }
            assertThat(status).isEqualTo("CHECKED_IN");
            assertThat(send(platform, "GET", "/resources/" + spot.path("id").asText() + "/occupancy", driver, null, 200)
                    .path("occupied").asBoolean()).isTrue();
            assertThat(platform.events().deadLetters()).isEmpty();
        }
    }

    private static JsonNode send(LocalPlatform platform, String method, String path, String token, String body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expected);
        return Json.tree(response.body());
    }
}
