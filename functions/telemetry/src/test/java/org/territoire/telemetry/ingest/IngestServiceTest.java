package org.territoire.telemetry.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.fakes.InMemoryAlerts;
import org.territoire.telemetry.fakes.InMemoryDevices;
import org.territoire.telemetry.fakes.InMemoryReadings;

/** The ingestion rules on in-memory ports: who may speak for a device, each reading once, the latest forward only, rollups, alerts. */
@Tag("unit")
class IngestServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final InMemoryDevices devices = new InMemoryDevices();
    private final InMemoryReadings readings = new InMemoryReadings();
    private final InMemoryAlerts alerts = new InMemoryAlerts(readings);
    private final List<String> announced = new ArrayList<>();
    private final org.territoire.telemetry.fakes.InMemoryDistricts districts = new org.territoire.telemetry.fakes.InMemoryDistricts();
    private final IngestService ingest = new IngestService(devices, readings, districts, new AlertEvaluator(readings, alerts),
            (resource, occupied, at, device) -> announced.add(resource + "=" + occupied), Map.of(), clock);

    private Device register(String id, DeviceKind kind, String resourceId) {
        Device d = new Device(id, kind, "centre", null, null, null, resourceId, null, clock.instant().minus(Duration.ofDays(1)), "agent");
        devices.create(d);
        return d;
    }

    private IngestService.Outcome send(String deviceId, String district, String clientId, String body) {
        ObjectNode message = (ObjectNode) Json.tree(body);
        message.put("deviceId", deviceId).put("district", district).put("clientId", clientId).put("receivedAt", clock.millis());
        return ingest.ingest(message);
    }

    private IngestService.Outcome send(Device d, String body) {
        return send(d.id(), d.district(), d.id(), body);
    }

    @Test
    void aMessageFromAnotherClient_anUnknownDevice_orAnotherDistrict_isRejectedWhole() {
        register("meter-a", DeviceKind.ELECTRICITY_METER, null);
        String reading = "{\"at\":\"2026-11-25T11:00:00Z\",\"energy_kwh\":4}";

        assertThat(send("meter-a", "centre", "meter-b", reading).rejected()).singleElement().asString().contains("published by client meter-b");
        assertThat(send("ghost", "centre", "ghost", reading).rejected()).singleElement().asString().contains("unknown device ghost");
        assertThat(send("meter-a", "nord", "meter-a", reading).rejected()).singleElement().asString().contains("registered in centre");
        assertThat(readings.latest("meter-a")).isEmpty();
    }

    @Test
    void aBadReading_isRejectedWithItsReason_withoutCostingTheOthers() {
        Device meter = register("meter-a", DeviceKind.ELECTRICITY_METER, null);

        var outcome = send(meter, "{\"readings\":[{\"at\":\"2026-11-25T11:00:00Z\",\"energy_kwh\":4},{\"at\":\"2026-11-25T11:01:00Z\",\"energy_kwh\":-1}]}");

        assertThat(outcome.stored()).isEqualTo(1);
        assertThat(outcome.rejected()).singleElement().asString().startsWith("readings[1]: energy_kwh");
    }

    @Test
    void aDuplicate_isCountedNotStored_andALateReading_neverMovesTheLatestBack() {
        Device meter = register("meter-a", DeviceKind.ELECTRICITY_METER, null);
        send(meter, "{\"at\":\"2026-11-25T11:10:00Z\",\"energy_kwh\":10}");

        assertThat(send(meter, "{\"at\":\"2026-11-25T11:10:00Z\",\"energy_kwh\":10}").duplicates()).isEqualTo(1);
        send(meter, "{\"at\":\"2026-11-25T11:00:00Z\",\"energy_kwh\":8}");

        assertThat(readings.latest("meter-a").orElseThrow().at()).isEqualTo(Instant.parse("2026-11-25T11:10:00Z"));
        var hour = hours().hours(meter, Instant.parse("2026-11-25T11:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")).get(0);
        assertThat(hour.readings()).isEqualTo(2);
        assertThat(hour.consumption()).isEqualTo(2.0);
    }

    private org.territoire.telemetry.rollup.RollupService hours() {
        return new org.territoire.telemetry.rollup.RollupService(readings, java.time.ZoneId.of("Europe/Paris"));
    }

    @Test
    void messagesInsideTheOpenHour_writeNoRollup_theNextHoursMessageClosesIt_andReadsDeriveTheOpenHour() {
        Device meter = register("meter-a", DeviceKind.ELECTRICITY_METER, null);
        send(meter, "{\"readings\":[{\"at\":\"2026-11-25T10:10:00Z\",\"energy_kwh\":10},{\"at\":\"2026-11-25T10:20:00Z\",\"energy_kwh\":11}]}");
        send(meter, "{\"at\":\"2026-11-25T10:40:00Z\",\"energy_kwh\":13}");

        assertThat(readings.rollups("meter-a", "H#", "H#~")).as("the open hour is not stored").isEmpty();
        assertThat(hours().hours(meter, Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")))
                .extracting(r -> r.key() + " " + r.readings() + " " + r.consumption()).containsExactly("H#2026-11-25T10 3 3.0");

        send(meter, "{\"at\":\"2026-11-25T11:05:00Z\",\"energy_kwh\":14}");
        assertThat(readings.rollups("meter-a", "H#", "H#~")).as("closed by the message that left it")
                .extracting(r -> r.key() + " " + r.readings() + " " + r.consumption()).containsExactly("H#2026-11-25T10 3 3.0");
        send(meter, "{\"at\":\"2026-11-25T10:50:00Z\",\"energy_kwh\":13.5}"); // late: its hour is closed, and so is nothing after it
        assertThat(hours().hours(meter, Instant.parse("2026-11-25T10:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")))
                .extracting(r -> r.key() + " " + r.readings() + " " + r.consumption())
                .containsExactly("H#2026-11-25T10 4 3.5", "H#2026-11-25T11 1 0.5");
    }

    @Test
    void aRedelivery_closesTheHourAnInterruptedDeliveryLeft() {
        Device meter = register("meter-a", DeviceKind.ELECTRICITY_METER, null);
        send(meter, "{\"at\":\"2026-11-25T10:10:00Z\",\"energy_kwh\":10}");
        // The delivery that moves the latest value to 11:00 stopped after its writes of the reading and the latest value.
        var r = new org.territoire.telemetry.reading.Reading("meter-a", Instant.parse("2026-11-25T11:05:00Z"), Map.of("energy_kwh", 12.0));
        readings.put(r, clock.instant());
        readings.putLatest(r);
        assertThat(readings.rollups("meter-a", "H#", "H#~")).isEmpty();

        assertThat(send(meter, "{\"at\":\"2026-11-25T11:05:00Z\",\"energy_kwh\":12}").duplicates()).isEqualTo(1);

        assertThat(readings.rollups("meter-a", "H#", "H#~")).extracting(Rollup -> Rollup.key() + " " + Rollup.readings())
                .containsExactly("H#2026-11-25T10 1");
    }

    @Test
    void pm25Above50_for15Minutes_raisesOneAlert() {
        Device air = register("air-a", DeviceKind.AIR_QUALITY, null);
        Instant t = Instant.parse("2026-11-25T11:30:00Z");
        for (int minute = 0; minute <= 15; minute += 5) {
            send(air, "{\"at\":\"" + t.plusSeconds(minute * 60L) + "\",\"pm2_5_ugm3\":80}");
        }
        send(air, "{\"at\":\"" + t.plusSeconds(16 * 60L) + "\",\"pm2_5_ugm3\":80}");

        assertThat(alerts.all).singleElement().extracting(Alert::rule).isEqualTo(Alert.Rule.PM25_HIGH);
        send(air, "{\"at\":\"" + t.plusSeconds(20 * 60L) + "\",\"pm2_5_ugm3\":10}");
        assertThat(alerts.active("air-a", Alert.Rule.PM25_HIGH)).isEmpty();
    }

    @Test
    void aParkingSensor_announcesEachChangeOnce_andNeverALateOne() {
        Device spot = register("spot-a", DeviceKind.PARKING_SENSOR, "resource-1");
        send(spot, "{\"at\":\"2026-11-25T11:00:00Z\",\"occupied\":true}");
        send(spot, "{\"at\":\"2026-11-25T11:00:00Z\",\"occupied\":true}");
        send(spot, "{\"at\":\"2026-11-25T11:10:00Z\",\"occupied\":false}");
        send(spot, "{\"at\":\"2026-11-25T11:05:00Z\",\"occupied\":true}");

        assertThat(announced).containsExactly("resource-1=true", "resource-1=false");
    }

    @Test
    void aDevicesNextMessage_clearsItsOfflineAlert() {
        Device noise = register("noise-a", DeviceKind.NOISE, null);
        alerts.raise(new Alert("noise-a", Alert.Rule.OFFLINE, "centre", null, clock.instant(), null, "silent"));

        send(noise, "{\"at\":\"2026-11-25T11:59:00Z\",\"laeq_db\":40}");

        assertThat(alerts.active("noise-a", Alert.Rule.OFFLINE)).isEmpty();
    }

    @Test
    void aDevice_isReadOncePerCacheTime_notOncePerMessage() {
        Device noise = register("noise-a", DeviceKind.NOISE, null);
        send(noise, "{\"at\":\"2026-11-25T11:00:00Z\",\"laeq_db\":40}");
        send(noise, "{\"at\":\"2026-11-25T11:01:00Z\",\"laeq_db\":41}");
        assertThat(devices.finds).isEqualTo(1);

        clock.advance(IngestService.DEVICE_CACHE_TIME);
        send(noise, "{\"at\":\"2026-11-25T11:02:00Z\",\"laeq_db\":42}");
        assertThat(devices.finds).isEqualTo(2);
        assertThat(send("ghost", "centre", "ghost", "{\"at\":\"2026-11-25T11:02:00Z\",\"laeq_db\":42}").rejected()).isNotEmpty();
        devices.create(new Device("ghost", DeviceKind.NOISE, "centre", null, null, null, null, null, clock.instant(), "agent"));
        assertThat(send("ghost", "centre", "ghost", "{\"at\":\"2026-11-25T11:03:00Z\",\"laeq_db\":42}").stored())
                .as("an unknown device is not remembered as unknown").isEqualTo(1);
    }

    @Test
    void theOfflineAlert_isLookedUpOnlyWhenTheSweepMarkedTheDevice() {
        Device noise = register("noise-a", DeviceKind.NOISE, null);
        send(noise, "{\"at\":\"2026-11-25T10:00:00Z\",\"laeq_db\":40}");
        // Raised without the mark: a message does not look for it.
        alerts.raise(new Alert("noise-a", Alert.Rule.OFFLINE, "centre", null, clock.instant(), null, "silent"));
        send(noise, "{\"at\":\"2026-11-25T10:01:00Z\",\"laeq_db\":40}");
        assertThat(alerts.active("noise-a", Alert.Rule.OFFLINE)).isPresent();

        readings.offline.add("noise-a");
        send(noise, "{\"at\":\"2026-11-25T10:02:00Z\",\"laeq_db\":40}");
        assertThat(alerts.active("noise-a", Alert.Rule.OFFLINE)).isEmpty();
        assertThat(readings.offline).isEmpty();
    }

    @Test
    void daysAndMonths_areDerivedFromTheHours() {
        Device meter = register("meter-a", DeviceKind.ELECTRICITY_METER, null);
        send(meter, "{\"readings\":[{\"at\":\"2026-11-24T22:30:00Z\",\"energy_kwh\":10},{\"at\":\"2026-11-24T23:30:00Z\",\"energy_kwh\":12},"
                + "{\"at\":\"2026-11-25T10:00:00Z\",\"energy_kwh\":15}]}");
        var service = new org.territoire.telemetry.rollup.RollupService(readings, java.time.ZoneId.of("Europe/Paris"));

        // 23:30Z is 00:30 in Paris: the 25th.
        var days = service.days(meter, java.time.LocalDate.parse("2026-11-24"), java.time.LocalDate.parse("2026-11-25"));
        assertThat(days).extracting(r -> r.key() + " " + r.readings() + " " + r.consumption())
                .containsExactly("D#2026-11-24 1 0.0", "D#2026-11-25 2 5.0");
        assertThat(service.months(meter, java.time.YearMonth.parse("2026-11"), java.time.YearMonth.parse("2026-11")))
                .singleElement().satisfies(m -> assertThat(m.consumption()).isEqualTo(5.0));
    }
}
