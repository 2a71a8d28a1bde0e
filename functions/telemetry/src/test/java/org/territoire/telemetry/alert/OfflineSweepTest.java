package org.territoire.telemetry.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.MutableClock;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.fakes.InMemoryAlerts;
import org.territoire.telemetry.fakes.InMemoryDevices;
import org.territoire.telemetry.fakes.InMemoryReadings;
import org.territoire.telemetry.reading.Reading;

/** The offline sweep on in-memory ports. */
@Tag("unit")
class OfflineSweepTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final InMemoryDevices devices = new InMemoryDevices();
    private final InMemoryReadings readings = new InMemoryReadings();
    private final InMemoryAlerts alerts = new InMemoryAlerts(readings);
    private final OfflineSweep sweep = new OfflineSweep(devices, readings, new AlertEvaluator(readings, alerts), Duration.ofMinutes(60), clock);

    private Device heard(String id, Instant at) {
        Device d = new Device(id, DeviceKind.NOISE, "centre", null, null, null, null, null, Instant.parse("2026-11-01T00:00:00Z"), "agent");
        devices.create(d);
        Reading r = new Reading(id, at, Map.of("laeq_db", 40.0));
        readings.put(r, at.plus(Duration.ofDays(365)));
        readings.putLatest(r);
        devices.heardFrom(d, at, true);
        return d;
    }

    @Test
    void aDeviceSilentLongerThanTheLimit_getsOneOfflineAlert_naming_itsLastReading() {
        heard("silent", Instant.parse("2026-11-25T10:30:00Z"));
        heard("talking", Instant.parse("2026-11-25T11:30:00Z"));

        var first = sweep.sweep();
        var second = sweep.sweep();

        assertThat(first.raised()).isEqualTo(1);
        assertThat(second.raised()).as("already active").isZero();
        assertThat(alerts.active("silent", Alert.Rule.OFFLINE)).get().extracting(Alert::detail).asString()
                .contains("2026-11-25T10:30:00Z");
        assertThat(alerts.active("talking", Alert.Rule.OFFLINE)).isEmpty();
    }

    @Test
    void aDeviceThatCannotBeChecked_isReported_andTheOthersAreStillSwept() {
        heard("broken", Instant.parse("2026-11-25T10:00:00Z"));
        heard("silent", Instant.parse("2026-11-25T10:01:00Z"));
        var failing = new OfflineSweep(devices, new InMemoryReadings() {
            @Override
            public Heard heard(String deviceId) {
                if (deviceId.equals("broken")) {
                    throw new IllegalStateException("unreadable item");
                }
                return readings.heard(deviceId);
            }
        }, new AlertEvaluator(readings, alerts), Duration.ofMinutes(60), clock);

        var result = failing.sweep();

        assertThat(result.failures()).extracting(OfflineSweep.Failure::deviceId).containsExactly("broken");
        assertThat(result.raised()).isEqualTo(1);
        assertThat(alerts.active("silent", Alert.Rule.OFFLINE)).isPresent();
    }

    @Test
    void aDeviceHeardFromWhileTheSweepDecides_getsNoAlert() {
        Device d = heard("racing", Instant.parse("2026-11-25T10:00:00Z"));
        var evaluator = new AlertEvaluator(readings, alerts);
        // The sweep read 10:00; a message at 11:59 lands before its write.
        Reading late = new Reading("racing", Instant.parse("2026-11-25T11:59:00Z"), Map.of("laeq_db", 40.0));
        readings.putLatest(late);

        assertThat(evaluator.offline(d, Instant.parse("2026-11-25T10:00:00Z"), clock.instant())).isEmpty();
        assertThat(alerts.active("racing", Alert.Rule.OFFLINE)).isEmpty();
    }

    @Test
    void aDeviceAlreadyMarkedOffline_isNotRaisedAgain_andTheIndexLag_isChecked() {
        heard("silent", Instant.parse("2026-11-25T10:30:00Z"));
        sweep.sweep();
        // The index says silent (it lags), the latest value says otherwise.
        Device lagging = heard("lagging", Instant.parse("2026-11-25T10:00:00Z"));
        readings.putLatest(new Reading("lagging", Instant.parse("2026-11-25T11:30:00Z"), Map.of("laeq_db", 40.0)));

        var again = sweep.sweep();

        assertThat(again.raised()).isZero();
        assertThat(alerts.all).extracting(Alert::deviceId).containsExactly("silent");
        assertThat(devices.lastSeen.get(lagging.id())).as("its index entry moved").isEqualTo(Instant.parse("2026-11-25T11:30:00Z"));
    }
}
