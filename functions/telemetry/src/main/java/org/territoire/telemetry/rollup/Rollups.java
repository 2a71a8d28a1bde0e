package org.territoire.telemetry.rollup;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.reading.Reading;

/**
 * The arithmetic of rollups. Hours are UTC hours; days and months are calendar days and months
 * of the territory's time zone ({@code TERRITORY_TIME_ZONE}, as bookings read it; Europe/Paris
 * by default), made of the UTC hours that fall in them (23 on the spring change, 25 in
 * autumn). That needs a zone that differs from UTC by whole hours, which is checked.
 *
 * <p>Consumption from a cumulative index is the sum, over consecutive readings, of the index
 * difference, attributed to the period of the later reading. A reading lower than the one
 * before means the meter was reset (replaced, or restarted from zero): the consumption since
 * is the new index itself, never a negative jump. Duplicates (same time) are one stored item;
 * readings are ordered by their own time, not by arrival, so late readings land where they
 * belong and the periods they touch are recomputed. Over a gap, the consumption is attributed
 * to the period of the reading that closes it; the total is never lost.
 */
public final class Rollups {
    /** The zone when {@code TERRITORY_TIME_ZONE} is not set (the template sets it for every function). */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private Rollups() {
    }

    /** Consumption over readings in time order, given the index read just before them (null when none). */
    public static double consumption(Double previous, List<Double> indexes) {
        double total = 0;
        Double before = previous;
        for (double index : indexes) {
            if (before != null) {
                total += index >= before ? index - before : index;
            }
            before = index;
        }
        return total;
    }

    /** The rollup of one UTC hour, from its readings in time order and the reading just before it. */
    public static Rollup hour(DeviceKind kind, Instant hourStart, Reading previous, List<Reading> readings) {
        Map<String, Rollup.Stats> metrics = new HashMap<>();
        long basis = previous == null ? 0 : previous.at().toEpochMilli();
        for (Reading r : readings) {
            basis += r.at().toEpochMilli();
            r.values().forEach((field, v) -> metrics.merge(field, new Rollup.Stats(1, v, v, v), Rollup.Stats::plus));
        }
        Double consumption = null;
        if (kind.cumulative()) {
            String field = kind.cumulativeField();
            consumption = micro(consumption(previous == null ? null : previous.values().get(field),
                    readings.stream().map(r -> r.values().get(field)).filter(java.util.Objects::nonNull).toList()));
        }
        return new Rollup(hourKey(hourStart), hourStart, hourStart.plus(1, ChronoUnit.HOURS), readings.size(), basis, metrics, consumption);
    }

    /** A day's or a month's rollup from the rollups of its parts. */
    public static Rollup combine(String key, Instant start, Instant end, List<Rollup> parts) {
        Map<String, Rollup.Stats> metrics = new HashMap<>();
        long readings = 0;
        long basis = 0;
        Double consumption = null;
        for (Rollup part : parts) {
            readings += part.readings();
            basis += part.basis();
            part.metrics().forEach((field, stats) -> metrics.merge(field, stats, Rollup.Stats::plus));
            if (part.consumption() != null) {
                consumption = (consumption == null ? 0 : consumption) + part.consumption();
            }
        }
        return new Rollup(key, start, end, readings, basis, metrics, consumption == null ? null : micro(consumption));
    }

    /** Figures to a millionth of their unit: index differences otherwise show floating-point dust. */
    static double micro(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    public static Instant hourOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }

    public static String hourKey(Instant hourStart) {
        return "H#" + HOUR.format(hourStart);
    }

    /** The territory's zone from the environment, checked. */
    public static ZoneId territoryZone() {
        return wholeHours(org.territoire.shared.config.Env.get("TERRITORY_TIME_ZONE").map(ZoneId::of).orElse(DEFAULT_ZONE));
    }

    /**
     * Days are made of UTC hours, so the zone must differ from UTC by whole hours, now and at its
     * coming changes (Asia/Kolkata, +05:30, could not be rolled up this way): refused at init.
     */
    public static ZoneId wholeHours(ZoneId zone) {
        java.time.zone.ZoneRules rules = zone.getRules();
        Instant at = Instant.now();
        for (int i = 0; i < 8; i++) {
            if (rules.getOffset(at).getTotalSeconds() % 3600 != 0) {
                throw new IllegalStateException("TERRITORY_TIME_ZONE " + zone + " is not a whole number of hours from UTC: "
                        + "days could not be made of UTC hours");
            }
            java.time.zone.ZoneOffsetTransition next = rules.nextTransition(at);
            if (next == null) {
                break;
            }
            at = next.getInstant();
        }
        return zone;
    }

    public static LocalDate dayOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(at, zone);
    }

    public static String dayKey(LocalDate day) {
        return "D#" + day;
    }

    public static String monthKey(YearMonth month) {
        return "M#" + month;
    }

    public static Instant startOf(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).toInstant();
    }

    public static Instant startOf(YearMonth month, ZoneId zone) {
        return startOf(month.atDay(1), zone);
    }
}
