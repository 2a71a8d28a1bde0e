package org.territoire.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceService;
import org.territoire.telemetry.fakes.InMemoryAlerts;
import org.territoire.telemetry.fakes.InMemoryDevices;
import org.territoire.telemetry.fakes.InMemoryReadings;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.rollup.Rollups;

/** The query rules on in-memory ports: ranges, privacy of personal devices, withheld small aggregates, health never aggregated. */
@Tag("unit")
class TelemetryQueriesTest {
    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");
    private final InMemoryDevices devices = new InMemoryDevices();
    private final InMemoryReadings readings = new InMemoryReadings();
    private final InMemoryAlerts alerts = new InMemoryAlerts();
    private final org.territoire.telemetry.fakes.InMemoryDistricts districts = new org.territoire.telemetry.fakes.InMemoryDistricts();
    private final DeviceService deviceService = new DeviceService(devices, (d, c) -> {
        throw new UnsupportedOperationException();
    }, Clock.fixed(now, ZoneOffset.UTC));
    private final TelemetryQueries queries = new TelemetryQueries(deviceService, devices, readings, alerts, districts, 3, ZoneId.of("Europe/Paris"));
    private final Caller resident = new Caller("resident-1", Set.of(Role.RESIDENT), Optional.empty(), Optional.empty());

    private Device meter(String id, String owner, double kwh) {
        Device d = new Device(id, DeviceKind.ELECTRICITY_METER, "centre", null, null, owner, null, null, now.minusSeconds(86400 * 30), "agent");
        devices.create(d);
        var r1 = new Reading(id, Instant.parse("2026-11-24T10:00:00Z"), Map.of("energy_kwh", 100.0));
        var r2 = new Reading(id, Instant.parse("2026-11-24T10:30:00Z"), Map.of("energy_kwh", 100.0 + kwh));
        readings.put(r1, now);
        readings.put(r2, now);
        var rollups = new org.territoire.telemetry.rollup.RollupService(readings, ZoneId.of("Europe/Paris"));
        rollups.recompute(d, java.util.List.of(r1, r2));
        new org.territoire.telemetry.district.DistrictRollups(devices, districts, rollups, Clock.fixed(now, ZoneOffset.UTC))
                .compute("centre", DeviceKind.ELECTRICITY_METER, Instant.parse("2026-11-24T10:00:00Z"));
        return d;
    }

    @Test
    void rangesAreChecked_namingTheField() {
        meter("meter-1", "resident-1", 1);

        assertThatThrownBy(() -> queries.readings(resident, "meter-1", Optional.of("2026-11-25T11:00:00Z"), Optional.of("2026-11-25T10:00:00Z"),
                100, Optional.empty(), now)).isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("to"));
        assertThatThrownBy(() -> queries.readings(resident, "meter-1", Optional.of("2026-09-01T00:00:00Z"), Optional.empty(), 100, Optional.empty(), now))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("from"));
        assertThatThrownBy(() -> queries.readings(resident, "meter-1", Optional.of("yesterday"), Optional.empty(), 100, Optional.empty(), now))
                .isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> queries.rollups(resident, "meter-1", "week", Optional.empty(), Optional.empty(), now))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("period"));
    }

    @Test
    void anotherResidentsMeter_isNotFound() {
        meter("meter-2", "resident-2", 1);

        assertThatThrownBy(() -> queries.latest(resident, "meter-2")).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void aDistrictFigure_overTooFewHouseholds_isWithheld_thenShownOverEnough() {
        meter("meter-1", "resident-1", 1);
        meter("meter-2", "resident-2", 2);

        var withheld = queries.district(resident, "centre", DeviceKind.ELECTRICITY_METER, "2026-11-24");
        assertThat(withheld.suppressed()).isTrue();
        assertThat(withheld.consumption()).isNull();

        meter("meter-3", "resident-3", 3);
        var shown = queries.district(resident, "centre", DeviceKind.ELECTRICITY_METER, "2026-11-24");
        assertThat(shown.suppressed()).isFalse();
        assertThat(shown.households()).isEqualTo(3);
        assertThat(shown.consumption()).isEqualTo(6.0);
    }

    @Test
    void healthData_isNeverAggregated() {
        assertThatThrownBy(() -> queries.district(resident, "centre", DeviceKind.HEALTH_DEVICE, "2026-11-24"))
                .isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void theExport_carriesTheDevicesOnTheFirstPageOnly() {
        meter("meter-1", "resident-1", 1);

        var export = queries.export(resident, 100, Optional.empty());

        assertThat(export.subject()).isEqualTo("resident-1");
        assertThat(export.devices()).extracting(Device::id).containsExactly("meter-1");
        assertThat(export.records()).hasSize(2);
        assertThat(export.nextToken()).isNull();
        assertThat(Rollups.dayKey(java.time.LocalDate.parse("2026-11-24"))).isEqualTo("D#2026-11-24");
    }
}
