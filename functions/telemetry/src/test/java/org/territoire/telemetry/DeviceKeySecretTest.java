package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.TableText;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.store.IotThingProvisioner;
import software.amazon.awssdk.services.iot.IotClient;

/** A device's private key is shown once: against the local endpoint, no item of the table holds it, replay records included. */
class DeviceKeySecretTest {
    private static final String TABLE = "TelemetryTable";

    @Test
    void aRegisteredDevicesPrivateKey_isStoredNowhere_andItsReplay_saysItWasShownOnce() {
        LocalAws aws = LocalAws.shared();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
        Wiring wiring = Wiring.of(aws.dynamoDb(), TABLE, clock, PaginationKey.load());
        IotClient iot = Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build();
        var devices = wiring.deviceService(new IotThingProvisioner(iot, "DevicePolicy"));
        TelemetryApiHandler api = new TelemetryApiHandler(devices,
                new TelemetryQueries(devices, wiring.devices(), wiring.readings(), wiring.alerts(), wiring.districts(), 10), clock, wiring.idempotency());
        String id = "noise-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApiEvent register = new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/devices",
                Map.of("idempotency-key", UUID.randomUUID().toString()), Map.of(), Map.of(),
                "{\"id\":\"%s\",\"kind\":\"NOISE\",\"district\":\"centre\",\"latitude\":45.76,\"longitude\":4.83}".formatted(id), agent());

        ApiResponse first = api.handle(register);
        ApiResponse replay = api.handle(register);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode credentials = Json.tree(first.body()).path("credentials");
        String privateKey = Json.tree(first.body()).path("privateKey").asText();
        assertThat(privateKey).contains("PRIVATE KEY");
        // The key's base64 lines: whatever encoding stored it (JSON escapes its line breaks), a line would show.
        List<String> keyLines = Arrays.stream(privateKey.split("\n")).filter(l -> l.length() > 40 && !l.startsWith("-----")).toList();
        assertThat(keyLines).isNotEmpty();
        String table = TableText.of(aws.dynamoDb(), TABLE);
        assertThat(table).contains(id);
        assertThat(keyLines).allSatisfy(line -> assertThat(table).doesNotContain(line));

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("idempotency-replayed", "true").containsEntry("location", "/devices/" + id);
        JsonNode replayed = Json.tree(replay.body());
        assertThat(replayed.path("secretShownOnce").asBoolean()).isTrue();
        assertThat(replayed.has("privateKey")).isFalse();
        assertThat(replayed.path("credentials").has("privateKey")).isFalse();
        assertThat(replayed.path("credentials").path("certificatePem").asText()).isEqualTo(credentials.path("certificatePem").asText());
        assertThat(replayed.path("device").path("id").asText()).isEqualTo(id);
        assertThat(keyLines).allSatisfy(line -> assertThat(replay.body()).doesNotContain(line));
    }
}
