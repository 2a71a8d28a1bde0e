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

    public void recompute(Device device, Collection<Reading> stored) {
        if (stored.isEmpty()) {
            return;
        }
        Set<Instant> hours = new TreeSet<>();
        stored.forEach(r -> hours.add(Rollups.hourOf(r.at())));
        if (device.kind().cumulative()) {
            // A reading's consumption starts from the one before it: a late reading changes its successor's hour too.
            // Only the last new reading of each hour can have a successor in another hour, so one query per hour touched.
            List<Reading> sorted = stored.stream().sorted(java.util.Comparator.comparing(Reading::at)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                Instant hour = Rollups.hourOf(sorted.get(i).at());
                if (i == sorted.size() - 1 || !Rollups.hourOf(sorted.get(i + 1).at()).equals(hour)) {
                    readings.atOrAfter(device.id(), sorted.get(i).at().plusMillis(1)).ifPresent(next -> hours.add(Rollups.hourOf(next.at())));
                }
            }
        }
        Set<LocalDate> days = new TreeSet<>();
        for (Instant hour : hours) {
            Instant end = hour.plus(1, ChronoUnit.HOURS);
            Reading previous = device.kind().cumulative() ? readings.before(device.id(), hour).orElse(null) : null;
            readings.putRollup(device.id(), Rollups.hour(device.kind(), hour, previous, readings.between(device.id(), hour, end)));
            days.add(Rollups.dayOf(hour, zone));
        }
        Set<YearMonth> months = new TreeSet<>();
        for (LocalDate day : days) {
            Instant start = Rollups.startOf(day, zone);
            Instant end = Rollups.startOf(day.plusDays(1), zone);
            readings.putRollup(device.id(), Rollups.combine(Rollups.dayKey(day), start, end,
                    readings.rollups(device.id(), Rollups.hourKey(start), Rollups.hourKey(end.minus(1, ChronoUnit.HOURS)))));
            months.add(YearMonth.from(day));
        }
        for (YearMonth month : months) {
            readings.putRollup(device.id(), Rollups.combine(Rollups.monthKey(month), Rollups.startOf(month, zone), Rollups.startOf(month.plusMonths(1), zone),
                    readings.rollups(device.id(), Rollups.dayKey(month.atDay(1)), Rollups.dayKey(month.atEndOfMonth()))));
        }
    }
}
