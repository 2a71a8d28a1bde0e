package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.rollup.Rollup;

/** Ingestion against the local endpoint: idempotent, order-independent, alerting, announcing parking changes. */
class IngestTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final List<String> occupancy = new CopyOnWriteArrayList<>();
    private Wiring wiring;
    private IngestService ingest;

    @BeforeEach
    void wire() {
        wiring = Wiring.of(LocalAws.shared().dynamoDb(), "TelemetryTable", clock, PaginationKey.load());
        ingest = wiring.ingest((resource, occupied, at, device) -> occupancy.add(resource + "=" + occupied + "@" + at));
    }

    @Test
    void duplicatesAndOutOfOrderDeliveries_giveTheSameRollups_asOneOrderedDelivery() {
        Device ordered = register(DeviceKind.ELECTRICITY_METER, null);
        Device shuffled = register(DeviceKind.ELECTRICITY_METER, null);
        List<String> readings = new ArrayList<>();
        double index = 1000;
        for (int minute = 0; minute < 180; minute += 10) {
            index += minute == 90 ? -1000 + 2 : 0.5 + (minute % 30) / 10.0; // a meter reset at 10:30
            readings.add("{\"at\":\"%s\",\"energy_kwh\":%s}".formatted(Instant.parse("2026-11-25T09:00:00Z").plusSeconds(minute * 60L), index));
        }
        send(ordered, "{\"readings\":[" + String.join(",", readings) + "]}");
        List<String> messy = new ArrayList<>(readings);
        messy.addAll(readings.subList(3, 9)); // QoS 1 redeliveries
        Collections.shuffle(messy, new java.util.Random(7));
        var outcomes = Concurrently.run(messy.size(), i -> () -> send(shuffled, "{\"readings\":[" + messy.get(i) + "]}"));

        assertThat(outcomes.stream().mapToInt(o -> o.value().stored()).sum()).isEqualTo(readings.size());
        assertThat(figures(shuffled, "H#")).isEqualTo(figures(ordered, "H#"));
        assertThat(figures(shuffled, "D#")).isEqualTo(figures(ordered, "D#"));
        assertThat(figures(shuffled, "M#")).isEqualTo(figures(ordered, "M#"));
        Rollup day = new org.territoire.telemetry.rollup.RollupService(wiring.readings(), java.time.ZoneId.of("Europe/Paris"))
                .days(ordered, java.time.LocalDate.parse("2026-11-25"), java.time.LocalDate.parse("2026-11-25")).get(0);
        // 17 increments: the reset one counts its new index (2), the others 0.5 + 0, 1 or 2.
        assertThat(day.readings()).isEqualTo(18);
        assertThat(day.consumption()).isEqualTo(consumptionOf(readings));
        assertThat(wiring.readings().latest(shuffled.id()).orElseThrow().at()).isEqualTo(Instant.parse("2026-11-25T11:50:00Z"));
    }

    @Test
    void aMessageOnAnotherDevicesTopic_isRejectedWhole_andStoresNothing() {
        Device victim = register(DeviceKind.ELECTRICITY_METER, "resident-victim");
        Device intruder = register(DeviceKind.ELECTRICITY_METER, "resident-intruder");
        var message = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree("{\"readings\":[{\"at\":\"2026-11-25T11:00:00Z\",\"energy_kwh\":5}]}");
        message.put("deviceId", victim.id()).put("district", victim.district()).put("clientId", intruder.id()).put("receivedAt", clock.millis());

        var outcome = ingest.ingest(message);
        var anonymous = ingest.ingest(((com.fasterxml.jackson.databind.node.ObjectNode) message.deepCopy()).without("clientId"));

        assertThat(outcome.stored()).isZero();
        assertThat(outcome.rejected()).singleElement().asString().contains("published by client " + intruder.id());
        assertThat(anonymous.stored()).isZero();
        assertThat(anonymous.rejected()).singleElement().asString().contains("published by client (none)");
        assertThat(wiring.readings().latest(victim.id())).isEmpty();
    }

    @Test
    void aBadReading_isRejectedAndNamed_whileTheOthersOfTheMessageAreStored() {
        Device air = register(DeviceKind.AIR_QUALITY, null);

        var outcome = send(air, """
                {"readings":[{"at":"2026-11-25T11:00:00Z","pm2_5_ugm3":12},{"at":"2026-11-25T11:01:00Z","pm2_5_ugm3":12,"colour":"red"},
                 {"at":"2026-11-25T11:02:00Z","pm10_ugm3":30}]}""");

        assertThat(outcome.stored()).isEqualTo(2);
        assertThat(outcome.rejected()).singleElement().asString().startsWith("readings[1]: colour");
        assertThat(ingest.ingest(Json.tree("{\"deviceId\":\"nobody\",\"district\":\"centre\",\"clientId\":\"nobody\",\"readings\":[]}")).rejected())
                .containsExactly("unknown device nobody");
        assertThat(ingest.ingest(Json.tree("{\"deviceId\":\"" + air.id() + "\",\"district\":\"gare\",\"clientId\":\"" + air.id() + "\",\"readings\":[]}")).rejected())
                .singleElement().asString().contains("registered in centre");
    }

    @Test
    void pm25Above50For15Minutes_raisesOneAlert_clearedWhenTheAirIsCleanAgain() {
        Device air = register(DeviceKind.AIR_QUALITY, null);
        Instant t = Instant.parse("2026-11-25T11:00:00Z");
        send(air, pm(t, 60), pm(t.plusSeconds(300), 70), pm(t.plusSeconds(600), 65));
        assertThat(wiring.alerts().active(air.id(), Alert.Rule.PM25_HIGH)).as("10 minutes are not 15").isEmpty();

        var raised = Concurrently.run(5, i -> () -> send(air, pm(t.plusSeconds(900), 80)).alerts());
        assertThat(raised.stream().mapToInt(o -> o.value().size()).sum()).as("raised once").isEqualTo(1);
        assertThat(wiring.alerts().active(air.id(), Alert.Rule.PM25_HIGH)).isPresent();

        send(air, pm(t.plusSeconds(1200), 20));
        assertThat(wiring.alerts().active(air.id(), Alert.Rule.PM25_HIGH)).isEmpty();
        assertThat(wiring.alerts().visibleTo(null, 200)).anySatisfy(a -> {
            assertThat(a.deviceId()).isEqualTo(air.id());
            assertThat(a.clearedAt()).isEqualTo(t.plusSeconds(1200));
        });
    }

    @Test
    void waterFlowingWithoutAPauseFor3Hours_raisesALeakAlert_forTheOwnerOnly() {
        Device meter = register(DeviceKind.WATER_METER, "household-" + UUID.randomUUID());
        List<String> readings = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            readings.add("{\"at\":\"%s\",\"volume_l\":%d}".formatted(Instant.parse("2026-11-25T08:00:00Z").plusSeconds(i * 900L), 5000 + i * 3));
        }
        send(meter, "{\"readings\":[" + String.join(",", readings) + "]}");

        assertThat(wiring.alerts().visibleTo(meter.ownerId(), 10)).extracting(Alert::rule).containsExactly(Alert.Rule.CONTINUOUS_FLOW);
        assertThat(wiring.alerts().visibleTo(null, 200)).noneMatch(a -> a.deviceId().equals(meter.id()));
    }

    @Test
    void aSilentDevice_getsAnOfflineAlert_fromTheSweep_clearedByItsNextMessage() {
        Device noise = register(DeviceKind.NOISE, null);
        send(noise, "{\"at\":\"2026-11-25T11:59:00Z\",\"laeq_db\":48}");
        clock.advance(Duration.ofHours(2));

        int raised = new TelemetrySweepHandler(wiring.sweep(Duration.ofMinutes(60)), wiring.districtRollups()).sweep().offlineRaised();

        assertThat(raised).isGreaterThanOrEqualTo(1);
        assertThat(wiring.alerts().active(noise.id(), Alert.Rule.OFFLINE)).isPresent();
        send(noise, "{\"at\":\"2026-11-25T13:59:00Z\",\"laeq_db\":51}");
        assertThat(wiring.alerts().active(noise.id(), Alert.Rule.OFFLINE)).isEmpty();
    }

    @Test
    void oneDeviceThatCannotBeChecked_doesNotStopTheOfflineSweep() throws Exception {
        Device broken = register(DeviceKind.NOISE, null);
        Device silent = register(DeviceKind.NOISE, null);
        send(broken, "{\"at\":\"2026-11-25T11:58:00Z\",\"laeq_db\":48}");
        send(silent, "{\"at\":\"2026-11-25T11:59:00Z\",\"laeq_db\":48}");
        // Its latest value is an item this code cannot read.
        LocalAws.shared().dynamoDb().putItem(p -> p.tableName("TelemetryTable").item(java.util.Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("DEVICE#" + broken.id()),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("LATEST"))));
        clock.advance(Duration.ofHours(2));

        var out = new java.io.ByteArrayOutputStream();
        new TelemetrySweepHandler(wiring.sweep(Duration.ofMinutes(60)), wiring.districtRollups()).handleRequest(new java.io.ByteArrayInputStream("{}".getBytes()), out,
                org.territoire.shared.local.LocalContext.of("TelemetrySweepFunction"));

        assertThat(Json.tree(out.toString()).path("failed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(wiring.alerts().active(silent.id(), Alert.Rule.OFFLINE)).as("checked whatever the order").isPresent();
        assertThat(wiring.alerts().active(broken.id(), Alert.Rule.OFFLINE)).isEmpty();
    }

    @Test
    void aParkingSensor_announcesEachChangeOfItsResource_once_andNeverALateOne() {
        Device spot = registerLinked("resource-" + UUID.randomUUID());
        send(spot, "{\"at\":\"2026-11-25T11:00:00Z\",\"occupied\":true}");
        send(spot, "{\"at\":\"2026-11-25T11:00:00Z\",\"occupied\":true}");
        send(spot, "{\"at\":\"2026-11-25T11:05:00Z\",\"occupied\":true}");
        send(spot, "{\"at\":\"2026-11-25T11:30:00Z\",\"occupied\":false}");
        send(spot, "{\"at\":\"2026-11-25T11:20:00Z\",\"occupied\":true}"); // late

        assertThat(occupancy).filteredOn(e -> e.startsWith(spot.resourceId()))
                .containsExactly(spot.resourceId() + "=true@2026-11-25T11:00:00Z", spot.resourceId() + "=false@2026-11-25T11:30:00Z");
    }

    @Test
    void aSensorsSimultaneousMessages_announceAlternatingChanges_endingInItsLatestState() {
        Device spot = registerLinked("resource-" + UUID.randomUUID());
        Instant t = Instant.parse("2026-11-25T10:00:00Z");

        Concurrently.run(20, i -> () -> send(spot, "{\"at\":\"%s\",\"occupied\":%s}".formatted(t.plusSeconds(i), i % 3 == 0)));

        List<String> announced = occupancy.stream().filter(e -> e.startsWith(spot.resourceId()))
                .sorted(java.util.Comparator.comparing(e -> e.substring(e.indexOf('@') + 1))).map(e -> e.substring(e.indexOf('=') + 1, e.indexOf('@')))
                .toList();
        for (int i = 1; i < announced.size(); i++) {
            assertThat(announced.get(i)).as("an announcement is a change").isNotEqualTo(announced.get(i - 1));
        }
        boolean latest = wiring.readings().latest(spot.id()).orElseThrow().values().get("occupied") > 0.5;
        assertThat(latest).as("t+19s: 19 %% 3 != 0").isFalse();
        assertThat(announced).isNotEmpty().last().isEqualTo(String.valueOf(latest));
    }

    /** Hours as stored; days and months as the API derives them from the hours. */
    private List<String> figures(Device device, String prefix) {
        var rollups = new org.territoire.telemetry.rollup.RollupService(wiring.readings(), java.time.ZoneId.of("Europe/Paris"));
        List<Rollup> found = switch (prefix) {
            case "D#" -> rollups.days(device, java.time.LocalDate.parse("2026-11-01"), java.time.LocalDate.parse("2026-11-30"));
            case "M#" -> rollups.months(device, java.time.YearMonth.parse("2026-01"), java.time.YearMonth.parse("2026-12"));
            default -> rollups.hours(device, Instant.parse("2026-11-25T00:00:00Z"), Instant.parse("2026-11-25T23:00:00Z"));
        };
        return found.stream()
                .map(r -> r.key() + " n=" + r.readings() + " c=" + r.consumption() + " max=" + r.metrics().get("energy_kwh").max()).toList();
    }

    private static double consumptionOf(List<String> readings) {
        List<Double> indexes = readings.stream().map(r -> Json.tree(r).path("energy_kwh").asDouble()).toList();
        return org.territoire.telemetry.rollup.Rollups.consumption(null, indexes);
    }

    private static String pm(Instant at, double value) {
        return "{\"at\":\"" + at + "\",\"pm2_5_ugm3\":" + value + "}";
    }

    private IngestService.Outcome send(Device device, String... readings) {
        String body = readings.length == 1 ? readings[0] : "{\"readings\":[" + String.join(",", readings) + "]}";
        var message = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(body);
        message.put("deviceId", device.id()).put("district", device.district()).put("clientId", device.id()).put("receivedAt", clock.millis());
        return ingest.ingest(message);
    }

    private Device register(DeviceKind kind, String owner) {
        Device d = new Device(kind.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID(), kind, "centre", 45.76, 4.83, owner, null,
                null, clock.instant().minus(Duration.ofDays(30)), "agent");
        assertThat(wiring.devices().create(d)).isTrue();
        return d;
    }

    private Device registerLinked(String resourceId) {
        Device d = new Device("spot-" + UUID.randomUUID(), DeviceKind.PARKING_SENSOR, "centre", 45.76, 4.83, null, resourceId, null,
                clock.instant().minus(Duration.ofDays(30)), "agent");
        assertThat(wiring.devices().create(d)).isTrue();
        return d;
    }
}
