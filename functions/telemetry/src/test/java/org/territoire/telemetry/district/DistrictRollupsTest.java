package org.territoire.telemetry.district;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.fakes.InMemoryAlerts;
import org.territoire.telemetry.fakes.InMemoryDevices;
import org.territoire.telemetry.fakes.InMemoryDistricts;
import org.territoire.telemetry.fakes.InMemoryReadings;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.rollup.RollupService;

/** The district sweep on in-memory ports: settled hours in order, late readings marked and counted again, health never materialised. */
@Tag("unit")
class DistrictRollupsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T11:59:00Z"));
    private final InMemoryDevices devices = new InMemoryDevices();
    private final InMemoryReadings readings = new InMemoryReadings();
    private final InMemoryDistricts districts = new InMemoryDistricts();
    private final IngestService ingest = new IngestService(devices, readings, districts, new AlertEvaluator(readings, new InMemoryAlerts(readings)),
            (r, o, a, d) -> { }, Map.of(), clock);
    private final DistrictRollups sweep = new DistrictRollups(devices, districts, new RollupService(readings, ZoneId.of("Europe/Paris")), clock);

    private Device register(String id, DeviceKind kind, String owner) {
        Device d = new Device(id, kind, "centre", null, null, owner, null, null, Instant.parse("2026-11-01T00:00:00Z"), "agent");
        devices.create(d);
        return d;
    }

    private void send(Device d, String at, String field, double value) {
        ObjectNode m = (ObjectNode) Json.tree("{\"at\":\"%s\",\"%s\":%s}".formatted(at, field, value));
        m.put("deviceId", d.id()).put("district", d.district()).put("clientId", d.id());
        assertThat(ingest.ingest(m).stored()).isEqualTo(1);
    }

    private DistrictHour hour(DeviceKind kind, String hour) {
        return districts.hours("centre", kind, Instant.parse(hour), Instant.parse(hour)).stream().findFirst().orElse(null);
    }

    @Test
    void anHour_isComputedOnceSettled_withTheReadingsOfDevicesThatSendOnTheHour() {
        Device a = register("meter-a", DeviceKind.ELECTRICITY_METER, "home-a");
        Device b = register("meter-b", DeviceKind.ELECTRICITY_METER, "home-b");
        clock.set(Instant.parse("2026-11-25T11:05:00Z"));
        send(a, "2026-11-25T10:55:00Z", "energy_kwh", 100);
        clock.set(Instant.parse("2026-11-25T11:31:00Z"));
        send(a, "2026-11-25T11:30:00Z", "energy_kwh", 103);
        clock.set(Instant.parse("2026-11-25T12:04:00Z"));
        send(b, "2026-11-25T11:10:00Z", "energy_kwh", 50); // sent on the hour: not marked, the hour has not settled
        send(b, "2026-11-25T11:50:00Z", "energy_kwh", 52);
        assertThat(districts.waiting()).isEmpty();

        clock.set(Instant.parse("2026-11-25T12:10:00Z"));
        sweep.sweep(Duration.ofSeconds(40));
        assertThat(hour(DeviceKind.ELECTRICITY_METER, "2026-11-25T11:00:00Z")).as("11:00 has not settled at 12:10").isNull();

        clock.set(Instant.parse("2026-11-25T12:15:00Z"));
        var result = sweep.sweep(Duration.ofSeconds(40));
        DistrictHour eleven = hour(DeviceKind.ELECTRICITY_METER, "2026-11-25T11:00:00Z");
        assertThat(result.hours()).isEqualTo(1);
        assertThat(eleven.devices()).isEqualTo(2);
        assertThat(eleven.households()).isEqualTo(2);
        assertThat(eleven.figures().consumption()).isEqualTo(3 + 2);
        assertThat(districts.sweptThrough()).contains(Instant.parse("2026-11-25T11:00:00Z"));
    }

    @Test
    void aReadingForAnHourAlreadyComputed_marksIt_andTheNextSweepCountsIt_andItsMetersNextHourToo() {
        Device a = register("meter-a", DeviceKind.ELECTRICITY_METER, "home-a");
        send(a, "2026-11-25T09:10:00Z", "energy_kwh", 100);
        send(a, "2026-11-25T11:10:00Z", "energy_kwh", 110);
        clock.set(Instant.parse("2026-11-25T12:20:00Z"));
        sweep.sweep(Duration.ofSeconds(40));
        assertThat(hour(DeviceKind.ELECTRICITY_METER, "2026-11-25T11:00:00Z").figures().consumption()).isEqualTo(10.0);

        send(a, "2026-11-25T10:10:00Z", "energy_kwh", 104); // late: splits 11:00's consumption with 10:00
        assertThat(districts.waiting()).hasSize(2);
        var result = sweep.sweep(Duration.ofSeconds(40));

        assertThat(result.marked()).isEqualTo(2);
        assertThat(districts.waiting()).isEmpty();
        assertThat(hour(DeviceKind.ELECTRICITY_METER, "2026-11-25T10:00:00Z").figures().consumption()).isEqualTo(4.0);
        assertThat(hour(DeviceKind.ELECTRICITY_METER, "2026-11-25T11:00:00Z").figures().consumption()).isEqualTo(6.0);
    }

    @Test
    void aMarkMadeAgainWhileTheSweepComputedIt_staysForTheNextRun() {
        districts.mark("centre", DeviceKind.NOISE, Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"));
        var seen = districts.marks(10).get(0);
        districts.mark("centre", DeviceKind.NOISE, Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-11-25T11:00:00Z")); // the same millisecond

        districts.unmark(seen);

        assertThat(districts.waiting()).hasSize(1);
    }

    @Test
    void healthDevices_areNeverMaterialised() {
        Device h = register("health-a", DeviceKind.HEALTH_DEVICE, "patient");
        send(h, "2026-11-25T09:10:00Z", "heart_rate_bpm", 70);
        clock.set(Instant.parse("2026-11-25T12:20:00Z"));

        sweep.sweep(Duration.ofSeconds(40));

        assertThat(districts.waiting()).isEmpty();
        assertThat(sweep.compute("centre", DeviceKind.HEALTH_DEVICE, Instant.parse("2026-11-25T09:00:00Z"))).isFalse();
        assertThat(hour(DeviceKind.HEALTH_DEVICE, "2026-11-25T09:00:00Z")).isNull();
    }
}
