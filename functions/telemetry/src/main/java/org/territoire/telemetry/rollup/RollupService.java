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
 * Recomputes, from the stored readings, the closed hourly rollups that new readings touch (and,
 * for a meter, the hour of the reading that follows a new one, whose consumption starts from
 * it); the open hour is derived when read, days and months from the hours. Recomputation rather
 * than increments: a duplicate, a late or an out-of-order reading gives the same figures as if
 * every reading had arrived once and in order.
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

    /** Recomputes every hour these readings touch, open or not (a backfill, a test's history); see {@link #close}. */
    public LoadedReadings recompute(Device device, Collection<Reading> stored) {
        return close(device, stored, false, java.time.Duration.ZERO, Instant.MAX, java.util.Optional.empty());
    }

    /**
     * Writes the hourly rollups of the <b>closed</b> hours these readings touch, from the stored
     * readings; the device's open hour (that of its latest reading, {@code openHour}, and any
     * later one) is not stored but derived from its readings when read ({@link #hours}), so a
     * message inside the open hour writes no rollup at all. Closed hours are: the hours of late
     * readings; for a meter, the hour of the reading that follows a new one (its consumption
     * starts from it), found with a query, except where nothing can follow: the newest new
     * reading when it is the device's latest ({@code newestIsLatest}), or a reading whose next new
     * reading is in the same or the next hour (both recomputed, or open, anyway); and
     * {@code leftHour}, the hour the latest value has just left, which this message closes.
     *
     * <p>Why no reading is ever left out: every message ends with one conditional write of the
     * latest value ({@code ReadingRepository.putLatest}), after its readings are stored. A reading
     * of hour H is stored before that write; if the write finds the latest already past H (refused,
     * or applied from a later hour), this message closes H itself; if not, the write that later
     * moves the latest past H comes after it on the same item, so the message making that move
     * reads H after this reading was stored and closes H with it. Two closings of one hour are
     * ordered by {@code basis} (see {@code putRollup}): the one that saw more readings stays.
     * Days and months are not stored: they are derived from the hours when read.
     *
     * @return what was read, for the alert windows
     */
    public LoadedReadings close(Device device, Collection<Reading> stored, boolean newestIsLatest, java.time.Duration lookBack,
                                Instant openHour, java.util.Optional<Instant> leftHour) {
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
        loaded.touched(hours);
        leftHour.ifPresent(hours::add);
        hours.removeIf(h -> !h.isBefore(openHour));
        Instant newest = stored.stream().map(Reading::at).max(Instant::compareTo).orElseThrow();
        for (Instant hour : hours) {
            Instant end = hour.plus(1, ChronoUnit.HOURS);
            Instant since = hour.equals(Rollups.hourOf(newest)) && newest.minus(lookBack).isBefore(hour) ? newest.minus(lookBack) : hour;
            List<Reading> read = readings.withPrevious(device.id(), since, end);
            loaded.add(since, end, read);
            readings.putRollup(device.id(), hour(device, hour, read));
        }
        return loaded;
    }

    /** The rollup of one hour from {@code read}: what {@code withPrevious(since <= hour, hour end)} answered. */
    static Rollup hour(Device device, Instant hour, List<Reading> read) {
        int first = 0;
        while (first < read.size() && read.get(first).at().isBefore(hour)) {
            first++;
        }
        Reading previous = first == 0 ? null : read.get(first - 1);
        return Rollups.hour(device.kind(), hour, device.kind().cumulative() ? previous : null, read.subList(first, read.size()));
    }

    /** One hour of a device, derived from its stored readings (one query): what a closed hour's item holds, for any hour. */
    public java.util.Optional<Rollup> derive(Device device, Instant hour) {
        Rollup r = hour(device, hour, readings.withPrevious(device.id(), hour, hour.plus(1, ChronoUnit.HOURS)));
        return r.readings() == 0 ? java.util.Optional.empty() : java.util.Optional.of(r);
    }

    /**
     * A device's hourly rollups from {@code fromHour} to {@code toHour} (inclusive): the closed
     * hours as stored, and the open hour (that of the latest reading) derived from the readings,
     * so the current hour is exact although no message writes it. One read of the latest value,
     * one query of the stored hours, and one of the open hour's readings when it is in the range.
     */
    public List<Rollup> hours(Device device, Instant fromHour, Instant toHour) {
        List<Rollup> found = new java.util.ArrayList<>(readings.rollups(device.id(), Rollups.hourKey(fromHour), Rollups.hourKey(toHour)));
        java.util.Optional<Instant> open = readings.latest(device.id()).map(r -> Rollups.hourOf(r.at()));
        if (open.isPresent() && !open.get().isBefore(fromHour) && !open.get().isAfter(toHour)) {
            String key = Rollups.hourKey(open.get());
            found.removeIf(r -> r.key().equals(key)); // written before hours were closed by the next hour's message: possibly stale
            derive(device, open.get()).ifPresent(found::add);
            found.sort(java.util.Comparator.comparing(Rollup::key));
        }
        return found;
    }

    /** Daily rollups of the territory's days {@code from} to {@code to}, combined from their hours (one query); days without data are left out. */
    public List<Rollup> days(Device device, LocalDate from, LocalDate to) {
        Instant start = Rollups.startOf(from, zone);
        Instant end = Rollups.startOf(to.plusDays(1), zone);
        java.util.Map<LocalDate, List<Rollup>> byDay = new java.util.TreeMap<>();
        for (Rollup hour : hours(device, start, end.minus(1, ChronoUnit.HOURS))) {
            byDay.computeIfAbsent(Rollups.dayOf(hour.start(), zone), d -> new java.util.ArrayList<>()).add(hour);
        }
        List<Rollup> days = new java.util.ArrayList<>();
        byDay.forEach((day, parts) -> days.add(Rollups.combine(Rollups.dayKey(day), Rollups.startOf(day, zone),
                Rollups.startOf(day.plusDays(1), zone), parts)));
        return days;
    }

    /** Monthly rollups of the territory's months {@code from} to {@code to}, combined from their hours; months without data are left out. */
    public List<Rollup> months(Device device, YearMonth from, YearMonth to) {
        java.util.Map<YearMonth, List<Rollup>> byMonth = new java.util.TreeMap<>();
        for (Rollup day : days(device, from.atDay(1), to.atEndOfMonth())) {
            byMonth.computeIfAbsent(YearMonth.from(Rollups.dayOf(day.start(), zone)), m -> new java.util.ArrayList<>()).add(day);
        }
        List<Rollup> months = new java.util.ArrayList<>();
        byMonth.forEach((month, parts) -> months.add(Rollups.combine(Rollups.monthKey(month), Rollups.startOf(month, zone),
                Rollups.startOf(month.plusMonths(1), zone), parts)));
        return months;
    }
}
