package org.territoire.telemetry.fakes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.district.DistrictHour;
import org.territoire.telemetry.district.DistrictRepository;
import org.territoire.telemetry.rollup.Rollups;

/** District hours, marks and the sweep's progress in memory, with the table's conditions: the hour from more readings kept, a mark moved kept, progress forward only. */
public class InMemoryDistricts implements DistrictRepository {
    private final NavigableMap<String, DistrictHour> hours = new TreeMap<>();
    private final NavigableMap<String, Mark> marks = new TreeMap<>();
    private Instant swept;

    private static String key(String district, DeviceKind kind, Instant hour) {
        return district + "#" + kind + "#" + Rollups.hourKey(hour);
    }

    @Override
    public synchronized void put(DistrictHour h) {
        hours.merge(key(h.district(), h.kind(), h.figures().start()), h, (old, now) -> now.figures().basis() >= old.figures().basis() ? now : old);
    }

    @Override
    public synchronized List<DistrictHour> hours(String district, DeviceKind kind, Instant fromHour, Instant toHour) {
        return List.copyOf(hours.subMap(key(district, kind, fromHour), true, key(district, kind, toHour), true).values());
    }

    @Override
    public synchronized void mark(String district, DeviceKind kind, Instant hour, Instant at) {
        marks.put(Rollups.hourKey(hour) + "#" + district + "#" + kind, new Mark(district, kind, hour, java.util.UUID.randomUUID().toString()));
    }

    @Override
    public synchronized List<Mark> marks(int limit) {
        return marks.values().stream().limit(limit).toList();
    }

    /** The marks waiting, for assertions. */
    public synchronized Map<String, Mark> waiting() {
        return Map.copyOf(marks);
    }

    @Override
    public synchronized void unmark(Mark m) {
        marks.remove(Rollups.hourKey(m.hour()) + "#" + m.district() + "#" + m.kind(), m);
    }

    @Override
    public synchronized Optional<Instant> sweptThrough() {
        return Optional.ofNullable(swept);
    }

    @Override
    public synchronized void sweptThrough(Instant hour) {
        if (swept == null || swept.isBefore(hour)) {
            swept = hour;
        }
    }
}
