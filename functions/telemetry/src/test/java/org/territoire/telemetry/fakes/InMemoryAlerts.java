package org.territoire.telemetry.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertRepository;

/** Alerts in memory: at most one active per device and rule, as the table's transaction keeps it. */
public final class InMemoryAlerts implements AlertRepository {
    public final List<Alert> all = new ArrayList<>();
    private final Map<String, Integer> active = new HashMap<>();
    private final InMemoryReadings readings;

    public InMemoryAlerts() {
        this(null);
    }

    /** Alerts that keep the sweep's offline mark on these readings' latest values, as the table does. */
    public InMemoryAlerts(InMemoryReadings readings) {
        this.readings = readings;
    }

    @Override
    public synchronized boolean raiseOffline(Alert alert, Instant lastHeard) {
        if (readings != null && (readings.offline.contains(alert.deviceId())
                || readings.latest(alert.deviceId()).map(r -> r.at().isAfter(lastHeard)).orElse(false))) {
            return false;
        }
        if (!raise(alert)) {
            return false;
        }
        if (readings != null) {
            readings.offline.add(alert.deviceId());
        }
        return true;
    }

    @Override
    public synchronized boolean raise(Alert alert) {
        String key = alert.deviceId() + "#" + alert.rule();
        if (active.containsKey(key)) {
            return false;
        }
        all.add(alert);
        active.put(key, all.size() - 1);
        return true;
    }

    @Override
    public synchronized boolean clear(String deviceId, Alert.Rule rule, Instant at) {
        Integer index = active.remove(deviceId + "#" + rule);
        if (readings != null && rule == Alert.Rule.OFFLINE) {
            readings.offline.remove(deviceId);
        }
        if (index == null) {
            return false;
        }
        Alert a = all.get(index);
        all.set(index, new Alert(a.deviceId(), a.rule(), a.district(), a.ownerId(), a.raisedAt(), at, a.detail()));
        return true;
    }

    @Override
    public synchronized Optional<Alert> active(String deviceId, Alert.Rule rule) {
        return Optional.ofNullable(active.get(deviceId + "#" + rule)).map(all::get);
    }

    @Override
    public synchronized List<Alert> visibleTo(String ownerId, int limit) {
        return all.stream().filter(a -> Objects.equals(a.ownerId(), ownerId)).sorted(Comparator.comparing(Alert::raisedAt).reversed())
                .limit(limit).toList();
    }
}
