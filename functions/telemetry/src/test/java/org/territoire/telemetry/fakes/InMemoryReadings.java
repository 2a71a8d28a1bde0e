package org.territoire.telemetry.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.rollup.Rollup;

/** Readings, latest values and rollups in memory, with the table's conditions: a reading once, the latest forward only, a rollup from more readings kept. */
public class InMemoryReadings implements ReadingRepository {
    private final Map<String, NavigableMap<Instant, Reading>> readings = new ConcurrentHashMap<>();
    private final Map<String, Reading> latest = new ConcurrentHashMap<>();
    private final Map<String, NavigableMap<String, Rollup>> rollups = new ConcurrentHashMap<>();

    private NavigableMap<Instant, Reading> of(String deviceId) {
        return readings.computeIfAbsent(deviceId, d -> new TreeMap<>());
    }

    @Override
    public synchronized boolean put(Reading reading, Instant expiresAt) {
        return of(reading.deviceId()).putIfAbsent(reading.at(), reading) == null;
    }

    @Override
    public synchronized List<Reading> between(String deviceId, Instant from, Instant to) {
        return List.copyOf(of(deviceId).subMap(from, true, to, false).values());
    }

    @Override
    public synchronized Page<Reading> page(String deviceId, Instant from, Instant to, int limit, Optional<String> token) {
        List<Reading> all = between(deviceId, from, to);
        int start = token.map(Integer::parseInt).orElse(0);
        int end = Math.min(all.size(), start + limit);
        return new Page<>(all.subList(start, end), end < all.size() ? Integer.toString(end) : null);
    }

    @Override
    public synchronized Page<Map<String, Object>> export(List<String> deviceIds, int limit, Optional<String> token) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String id : deviceIds) {
            of(id).values().forEach(r -> records.add(Map.of("deviceId", id, "type", "reading", "at", r.at().toString(), "values", r.values())));
        }
        return new Page<>(records, null);
    }

    @Override
    public synchronized Optional<Reading> before(String deviceId, Instant at) {
        return Optional.ofNullable(of(deviceId).lowerEntry(at)).map(Map.Entry::getValue);
    }

    @Override
    public synchronized Optional<Reading> atOrAfter(String deviceId, Instant at) {
        return Optional.ofNullable(of(deviceId).ceilingEntry(at)).map(Map.Entry::getValue);
    }

    /** Devices the sweep marked offline (the mark on their latest value). */
    public final java.util.Set<String> offline = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized LatestUpdate putLatest(Reading reading) {
        Reading old = latest.get(reading.deviceId());
        boolean mayBeOffline = old == null || offline.contains(reading.deviceId());
        if (old != null && !old.at().isBefore(reading.at())) {
            return new LatestUpdate(false, Optional.empty(), Optional.of(old), mayBeOffline);
        }
        latest.put(reading.deviceId(), reading);
        return new LatestUpdate(true, Optional.ofNullable(old), Optional.of(reading), mayBeOffline);
    }

    @Override
    public Optional<Reading> latest(String deviceId) {
        return Optional.ofNullable(latest.get(deviceId));
    }

    @Override
    public Heard heard(String deviceId) {
        return new Heard(latest(deviceId), offline.contains(deviceId));
    }

    @Override
    public synchronized List<Reading> withPrevious(String deviceId, Instant since, Instant end) {
        List<Reading> window = new ArrayList<>();
        before(deviceId, since).ifPresent(window::add);
        window.addAll(between(deviceId, since, end));
        return window;
    }

    @Override
    public synchronized void putRollup(String deviceId, Rollup rollup) {
        rollups.computeIfAbsent(deviceId, d -> new TreeMap<>()).merge(rollup.key(), rollup, (old, now) -> now.basis() >= old.basis() ? now : old);
    }

    @Override
    public synchronized List<Rollup> rollups(String deviceId, String fromKey, String toKey) {
        return List.copyOf(rollups.computeIfAbsent(deviceId, d -> new TreeMap<>()).subMap(fromKey, true, toKey, true).values());
    }

    @Override
    public synchronized int erase(String deviceId) {
        int n = of(deviceId).size() + rollups.getOrDefault(deviceId, new TreeMap<>()).size() + (latest.containsKey(deviceId) ? 1 : 0);
        readings.remove(deviceId);
        rollups.remove(deviceId);
        latest.remove(deviceId);
        return n;
    }
}
