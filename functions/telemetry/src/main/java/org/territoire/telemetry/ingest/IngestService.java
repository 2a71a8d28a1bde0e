package org.territoire.telemetry.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.district.DistrictRepository;
import org.territoire.telemetry.district.DistrictRollups;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.reading.ReadingValidator;
import org.territoire.telemetry.rollup.LoadedReadings;
import org.territoire.telemetry.rollup.RollupService;
import org.territoire.telemetry.rollup.Rollups;

/**
 * One device message, as the IoT rule delivers it: the device's JSON plus the topic's district
 * and device id. Valid readings are stored once each (keyed by device and time), the latest
 * value (which is also when the device was last heard from) moves forward only, the hourly
 * rollups touched are recomputed, alert rules evaluated, and a parking
 * sensor's change is announced. A bad reading is rejected with its reason without costing the
 * others; an unknown device, one publishing under another district, or a message whose topic
 * names a device other than the MQTT client that published it (the rule's {@code clientid()},
 * which IoT Core sets to the connected thing's name), is rejected whole.
 */
public final class IngestService {

    /** What became of a message. */
    public record Outcome(String deviceId, int stored, int duplicates, List<String> rejected, List<Alert> alerts) {
    }

    /** The fields the IoT rule adds to the device's payload (see the rule's SQL in template.yaml). */
    static final List<String> RULE_FIELDS = List.of("deviceId", "district", "clientId", "receivedAt");

    private final DeviceRepository devices;
    private final ReadingRepository readings;
    private final RollupService rollups;
    private final DistrictRollups districts;
    private final AlertEvaluator alerts;
    private final OccupancyEvents occupancy;
    private final Map<DeviceKind, Duration> retention;
    private final Clock clock;

    public IngestService(DeviceRepository devices, ReadingRepository readings, DistrictRepository districts, AlertEvaluator alerts,
                         OccupancyEvents occupancy, Map<DeviceKind, Duration> retention, Clock clock) {
        this.devices = devices;
        this.readings = readings;
        this.rollups = new RollupService(readings);
        this.districts = new DistrictRollups(devices, districts, rollups, clock);
        this.alerts = alerts;
        this.occupancy = occupancy;
        this.retention = Map.copyOf(retention);
        this.clock = clock;
    }

    /**
     * How long a device's registration is kept in the function: a device's kind, district,
     * owner and resource never change once it is registered (there is no route to change
     * them), and a registration is only ever removed when its thing could not be provisioned,
     * before the device had a certificate to publish with; so a warm function reads each
     * device once per this time rather than once per message. Unknown devices are not kept:
     * a device registered a moment ago is found at its first message.
     */
    public static final Duration DEVICE_CACHE_TIME = Duration.ofMinutes(5);
    /** Beyond this many devices in one function instance, the cache starts over (memory stays bounded). */
    static final int DEVICE_CACHE_SIZE = 10_000;

    private record Cached(Device device, Instant until) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

    private Optional<Device> device(String id) {
        Instant now = clock.instant();
        Cached cached = cache.get(id);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached.device());
        }
        Optional<Device> found = devices.find(id);
        if (found.isPresent()) {
            if (cache.size() >= DEVICE_CACHE_SIZE) {
                cache.clear();
            }
            cache.put(id, new Cached(found.get(), now.plus(DEVICE_CACHE_TIME)));
        } else {
            cache.remove(id);
        }
        return found;
    }

    public Outcome ingest(JsonNode message) {
        String deviceId = message.path("deviceId").asText("");
        String district = message.path("district").asText("");
        String clientId = message.path("clientId").asText("");
        if (!deviceId.isBlank() && !deviceId.equals(clientId)) {
            // Defence in depth behind DevicePolicy: a client may speak only for itself.
            return new Outcome(deviceId, 0, 0, List.of("device " + deviceId + " was published by client "
                    + (clientId.isBlank() ? "(none)" : clientId) + ", not by itself"), List.of());
        }
        Optional<Device> found = deviceId.isBlank() ? Optional.empty() : device(deviceId);
        if (found.isEmpty()) {
            return new Outcome(deviceId, 0, 0, List.of("unknown device " + deviceId), List.of());
        }
        Device device = found.get();
        if (!device.district().equals(district)) {
            return new Outcome(deviceId, 0, 0, List.of("device " + deviceId + " is registered in " + device.district()
                    + ", not " + district), List.of());
        }
        Instant now = clock.instant();
        // What the rule's SQL added beside the device's own fields is not a measurement.
        JsonNode payload = message.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).remove(RULE_FIELDS);
        ReadingValidator.Outcome checked = ReadingValidator.check(device, payload, now);
        List<String> rejected = new ArrayList<>(checked.rejected().stream()
                .map(r -> (r.index() < 0 ? "message" : "readings[" + r.index() + "]") + ": " + r.reason()).toList());
        List<Reading> stored = new ArrayList<>();
        int duplicates = 0;
        Instant expires = now.plus(retention.getOrDefault(device.kind(), device.kind().defaultRetention()));
        for (Reading r : checked.accepted()) {
            if (readings.put(r, expires)) {
                stored.add(r);
            } else {
                duplicates++;
            }
        }
        if (stored.isEmpty()) {
            if (duplicates > 0) {
                closeAfterRedelivery(device, checked.accepted());
            }
            return new Outcome(deviceId, 0, duplicates, rejected, List.of());
        }
        Reading newest = stored.stream().max(java.util.Comparator.comparing(Reading::at)).orElseThrow();
        ReadingRepository.LatestUpdate latest = readings.putLatest(newest);
        if (latest.applied() && latest.mayBeOffline()) {
            // New, marked offline, or last written by the previous layout: its entry in the sweep's index is (re)made; otherwise the sweep keeps it.
            devices.heardFrom(device, newest.at(), true);
        }
        // The open hour is that of the latest value after this write; the hour the latest value just left is closed by this message.
        Instant open = Rollups.hourOf(latest.latest().orElse(newest).at());
        Optional<Instant> left = latest.applied() ? latest.previous().map(p -> Rollups.hourOf(p.at())).filter(h -> h.isBefore(open)) : Optional.empty();
        // Readings of this delivery that were already stored: an earlier delivery of it may have stopped before closing their hours.
        List<Reading> touched = duplicates > 0 ? checked.accepted() : stored;
        LoadedReadings loaded = rollups.close(device, touched, latest.applied(), AlertEvaluator.lookBack(device), open, left);
        districts.touched(device, loaded.touched(), now);
        // The newest reading is the latest when its conditional write succeeded; otherwise the write answered the newer one stored.
        List<Alert> raised = alerts.evaluate(device, latest.latest(), now, latest.mayBeOffline(), loaded);
        // The state it replaced comes from the same conditional write: concurrent messages of one sensor announce each change once.
        if (latest.applied() && device.kind() == DeviceKind.PARKING_SENSOR && device.resourceId() != null) {
            boolean occupied = newest.values().getOrDefault("occupied", 0.0) > 0.5;
            boolean was = latest.previous().map(b -> b.values().getOrDefault("occupied", 0.0) > 0.5).orElse(!occupied);
            if (occupied != was) {
                occupancy.changed(device.resourceId(), occupied, newest.at(), device.id());
            }
        }
        return new Outcome(deviceId, stored.size(), duplicates, rejected, raised);
    }

    /**
     * A delivery whose readings were all stored already (a QoS 1 redelivery, or Lambda's retry
     * of an invocation that failed): the first delivery may have stopped after storing them and
     * before closing their hours, or the hour its latest value left; both are closed again (a
     * closing that finds its hour already right is refused by the rollup's basis). Rare, so the
     * latest value is read rather than written.
     */
    private void closeAfterRedelivery(Device device, List<Reading> accepted) {
        Optional<Reading> current = readings.latest(device.id());
        if (current.isEmpty()) {
            return;
        }
        Instant open = Rollups.hourOf(current.get().at());
        boolean wasLatest = accepted.stream().anyMatch(r -> r.at().equals(current.get().at()));
        Optional<Instant> left = wasLatest ? readings.before(device.id(), open).map(r -> Rollups.hourOf(r.at())) : Optional.empty();
        districts.touched(device, rollups.close(device, accepted, wasLatest, java.time.Duration.ZERO, open, left).touched(), clock.instant());
    }
}
