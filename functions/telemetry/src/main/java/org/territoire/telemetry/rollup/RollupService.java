package org.territoire.telemetry.rollup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;

/**
 * Recomputes, from the stored readings, the rollups that new readings touch: their hours (and,
 * for a meter, the hour of the reading that follows the newest one, whose consumption starts
 * from it), then the days and months of those hours. Recomputation rather than increments:
 * a duplicate, a late or an out-of-order reading gives the same figures as if every reading had
 * arrived once and in order.
 */
public final class RollupService {
    private final ReadingRepository readings;
    private final ZoneId zone;

    /** Days and months of the territory's zone, {@code TERRITORY_TIME_ZONE}. */
    public RollupService(ReadingRepository readings) {
        this(readings, Rollups.territoryZone());
    }

    /** Days and months of this zone (whole hours from UTC). */
    public RollupService(ReadingRepository readings, ZoneId zone) {
        this.readings = readings;
        this.zone = Rollups.wholeHours(zone);
    }

    /** Recomputes the hours these readings touch, reading what is needed; see {@link #recompute(Device, Collection, boolean)}. */
    public LoadedReadings recompute(Device device, Collection<Reading> stored) {
        return recompute(device, stored, false);
    }

    /**
     * Recomputes the hourly rollups these new readings touch, from the stored readings. Each
     * hour is read with the reading before it in one query. A meter's reading starts the
     * consumption of its successor, so the hour of the reading after the last new one of each
     * hour is recomputed too, found with a query, except where nothing can follow: the newest
     * new reading when it became the device's latest ({@code newestIsLatest}: whatever is
     * stored later recomputes its own hour from it), or a reading whose next new reading is in
     * the same or the next hour (both recomputed anyway). Days and months are not stored: they
     * are derived from the hours when read ({@link #days}, {@link #months}).
     *
     * @return what was read, for the alert windows
     */
    public LoadedReadings recompute(Device device, Collection<Reading> stored, boolean newestIsLatest) {
        return recompute(device, stored, newestIsLatest, java.time.Duration.ZERO);
    }

    /**
     * As {@link #recompute(Device, Collection, boolean)}, the newest reading's hour read from
     * {@code lookBack} before that reading if that is earlier than the hour: the window an alert
     * rule looks at comes with the same query.
     */
    public LoadedReadings recompute(Device device, Collection<Reading> stored, boolean newestIsLatest, java.time.Duration lookBack) {
        LoadedReadings loaded = new LoadedReadings();
        if (stored.isEmpty()) {
            return loaded;
        }
        Set<Instant> hours = new TreeSet<>();
        stored.forEach(r -> hours.add(Rollups.hourOf(r.at())));
        if (device.kind().cumulative()) {
            List<Reading> sorted = stored.stream().sorted(java.util.Comparator.comparing(Reading::at)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                Instant hour = Rollups.hourOf(sorted.get(i).at());
                boolean last = i == sorted.size() - 1;
                if (last && newestIsLatest) {
                    continue;
                }
                if (!last && !Rollups.hourOf(sorted.get(i + 1).at()).isAfter(hour.plus(1, ChronoUnit.HOURS))) {
                    continue;
                }
                if (last || !Rollups.hourOf(sorted.get(i + 1).at()).equals(hour)) {
                    readings.atOrAfter(device.id(), sorted.get(i).at().plusMillis(1)).ifPresent(next -> hours.add(Rollups.hourOf(next.at())));
                }
            }
        }
        Instant newest = stored.stream().map(Reading::at).max(Instant::compareTo).orElseThrow();
        for (Instant hour : hours) {
            Instant end = hour.plus(1, ChronoUnit.HOURS);
            Instant since = hour.equals(Rollups.hourOf(newest)) && newest.minus(lookBack).isBefore(hour) ? newest.minus(lookBack) : hour;
            List<Reading> read = readings.withPrevious(device.id(), since, end);
            loaded.add(since, end, read);
            int first = 0;
            while (first < read.size() && read.get(first).at().isBefore(hour)) {
                first++;
            }
            Reading previous = first == 0 ? null : read.get(first - 1);
            List<Reading> inHour = read.subList(first, read.size());
            readings.putRollup(device.id(), Rollups.hour(device.kind(), hour, device.kind().cumulative() ? previous : null, inHour));
        }
        return loaded;
    }

    /** Daily rollups of the territory's days {@code from} to {@code to}, combined from their hours (one query); days without data are left out. */
    public List<Rollup> days(String deviceId, LocalDate from, LocalDate to) {
        Instant start = Rollups.startOf(from, zone);
        Instant end = Rollups.startOf(to.plusDays(1), zone);
        java.util.Map<LocalDate, List<Rollup>> byDay = new java.util.TreeMap<>();
        for (Rollup hour : readings.rollups(deviceId, Rollups.hourKey(start), Rollups.hourKey(end.minus(1, ChronoUnit.HOURS)))) {
            byDay.computeIfAbsent(Rollups.dayOf(hour.start(), zone), d -> new java.util.ArrayList<>()).add(hour);
        }
        List<Rollup> days = new java.util.ArrayList<>();
        byDay.forEach((day, parts) -> days.add(Rollups.combine(Rollups.dayKey(day), Rollups.startOf(day, zone),
                Rollups.startOf(day.plusDays(1), zone), parts)));
        return days;
    }

    /** Monthly rollups of the territory's months {@code from} to {@code to}, combined from their hours; months without data are left out. */
    public List<Rollup> months(String deviceId, YearMonth from, YearMonth to) {
        java.util.Map<YearMonth, List<Rollup>> byMonth = new java.util.TreeMap<>();
        for (Rollup day : days(deviceId, from.atDay(1), to.atEndOfMonth())) {
            byMonth.computeIfAbsent(YearMonth.from(Rollups.dayOf(day.start(), zone)), m -> new java.util.ArrayList<>()).add(day);
        }
        List<Rollup> months = new java.util.ArrayList<>();
        byMonth.forEach((month, parts) -> months.add(Rollups.combine(Rollups.monthKey(month), Rollups.startOf(month, zone),
                Rollups.startOf(month.plusMonths(1), zone), parts)));
        return months;
    }
}
