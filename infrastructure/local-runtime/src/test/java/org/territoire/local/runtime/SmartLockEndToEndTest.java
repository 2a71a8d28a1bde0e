package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.HostResolver;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.crt.mqtt.MqttClient;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttConnectionConfig;
import software.amazon.awssdk.crt.mqtt.QualityOfService;

/**
 * The whole path of a shared car's smart lock: the lock listens on its command topic over
 * MQTT; a resident books the car and checks in over HTTP; the bookings function publishes
 * the unlock command through the IoT data plane; the lock receives it.
 */
class SmartLockEndToEndTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void checkingIn_sendsTheUnlockCommand_toTheLinkedLock() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
             EventLoopGroup loop = new EventLoopGroup(1);
             HostResolver resolver = new HostResolver(loop);
             ClientBootstrap bootstrap = new ClientBootstrap(loop, resolver);
             MqttClient client = new MqttClient(bootstrap);
             MqttConnectionConfig config = new MqttConnectionConfig()) {
            String lock = "lock-" + UUID.randomUUID();
            String agent = platform.issuer().mint(LocalIssuer.User.of("agent-lock", "agent").ofOrganisation("mairie"));
            // The lock is a registered thing (its own key and CSR) and connects as itself, with its certificate.
            String certificate;
            try (DeviceSimulator registrar = new DeviceSimulator("127.0.0.1", platform.iot().port())) {
                certificate = registrar.register(platform.apiUrl(), agent, """
                        {"id":"%s","kind":"SMART_LOCK","district":"centre"}""".formatted(lock));
            }
            config.setMqttClient(client);
            config.setClientId(lock);
            config.setUsername(lock);
            config.setPassword(certificate);
            config.setEndpoint("127.0.0.1");
            config.setPort(platform.iot().port());
            config.setCleanSession(true);
            config.setKeepAliveSecs(30);
            config.setSocketOptions(new SocketOptions());
            try (MqttClientConnection device = new MqttClientConnection(config)) {
                device.connect().get(10, TimeUnit.SECONDS);
                CompletableFuture<String> command = new CompletableFuture<>();
                device.subscribe("cmd/territory/centre/" + lock + "/unlock", QualityOfService.AT_LEAST_ONCE,
                        m -> command.complete(new String(m.getPayload(), StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);

                String alice = platform.issuer().mint(LocalIssuer.User.of("alice-lock", "resident").inDistrict("centre"));
                JsonNode car = post(platform, "/resources", agent, """
                        {"kind":"CAR_SHARING","name":"Zoé %s","organisationId":"autopartage-local","district":"centre",
                         "capacity":1,"slotMinutes":5,"maxDurationMinutes":240,"linkedDeviceId":"%s"}""".formatted(lock, lock), 201);
                ZonedDateTime now = ZonedDateTime.now(PARIS).withSecond(0).withNano(0);
                ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
                JsonNode booking = post(platform, "/bookings", alice, """
                        {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(car.path("id").asText(),
                        start.toOffsetDateTime(), start.plusHours(1).toOffsetDateTime()), 201);

                JsonNode checkedIn = post(platform, "/bookings/" + booking.path("id").asText() + "/check-in", alice, "", 200);

                assertThat(checkedIn.path("status").asText()).isEqualTo("CHECKED_IN");
                JsonNode unlock = Json.tree(command.get(10, TimeUnit.SECONDS));
                assertThat(unlock.path("command").asText()).isEqualTo("unlock");
                assertThat(unlock.path("bookingId").asText()).isEqualTo(booking.path("id").asText());
                device.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonNode post(LocalPlatform platform, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expected);
        return Json.tree(response.body());
    }
}
