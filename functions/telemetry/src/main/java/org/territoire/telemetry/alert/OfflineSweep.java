package org.territoire.telemetry.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;

/**
 * Raises the offline alert of every device not heard from for longer than {@code offlineAfter},
 * read from a sparse index ordered by the time each device was last heard from. The index
 * lags: ingestion does not move a device's entry on every message (that would cost three
 * writes a message); the sweep checks each device the index names against its latest value
 * and moves the entry of one that was heard from since, so a steadily reporting device costs
 * the sweep one read and one entry move per {@code offlineAfter}. Each device on
 * its own: one whose alert cannot be evaluated or stored (a storage failure, an item this code
 * cannot read) is reported by its id and the sweep goes on with the others; the next sweep
 * tries it again. The next message from the device clears the alert.
 */
public final class OfflineSweep {
    /** What a sweep did: alerts raised, and the devices it could not check (ids only: no owner is logged). */
    public record Result(int raised, List<Failure> failures) {
        public int failed() {
            return failures.size();
        }
    }

    public record Failure(String deviceId, RuntimeException error) {
    }

    private final DeviceRepository devices;
    private final ReadingRepository readings;
    private final AlertEvaluator alerts;
    private final Duration offlineAfter;
    private final Clock clock;

    public OfflineSweep(DeviceRepository devices, ReadingRepository readings, AlertEvaluator alerts, Duration offlineAfter, Clock clock) {
        this.devices = devices;
        this.readings = readings;
        this.alerts = alerts;
        this.offlineAfter = offlineAfter;
        this.clock = clock;
    }

    public Result sweep() {
        Instant now = clock.instant();
        int raised = 0;
        List<Failure> failures = new ArrayList<>();
        Optional<String> token = Optional.empty();
        java.util.Set<String> checked = new java.util.HashSet<>();
        do {
            var page = devices.silentSince(now.minus(offlineAfter), 100, token);
            for (Device device : page.items()) {
                if (!checked.add(device.id())) {
                    continue; // an entry written before the index moved to its own item, beside the new one
                }
                try {
                    ReadingRepository.Heard heard = readings.heard(device.id());
                    Instant lastHeard = heard.latest().map(Reading::at).orElse(device.createdAt());
                    if (heard.offline()) {
                        continue; // already alerted; its next message clears it
                    }
                    if (!lastHeard.isBefore(now.minus(offlineAfter))) {
                        // The index lags (ingestion does not move it): the device spoke since; move its entry, once per silence period at most.
                        devices.heardFrom(device, lastHeard, false);
                        continue;
                    }
                    if (alerts.offline(device, lastHeard, now).isPresent()) {
                        raised++;
                    }
                } catch (RuntimeException e) {
                    failures.add(new Failure(device.id(), e));
                }
            }
            token = Optional.ofNullable(page.nextToken());
        } while (token.isPresent());
        return new Result(raised, List.copyOf(failures));
    }
}
