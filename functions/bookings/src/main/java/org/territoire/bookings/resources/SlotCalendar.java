package org.territoire.bookings.resources;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Slot arithmetic for one resource. Slots are fixed lengths of real time from local
 * midnight, so a 60-minute slot is always 60 minutes, also on the days when Europe/Paris
 * changes between winter and summer time (a day then has 23 or 25 one-hour slots).
 * Counters are keyed by each slot's start instant, which never repeats or collides.
 */
public final class SlotCalendar {
    private final ZoneId zone;
    private final Duration slot;
    private final OpeningHours hours;

    public SlotCalendar(ZoneId zone, Duration slot, OpeningHours hours) {
        if (slot.isZero() || slot.isNegative() || Duration.ofDays(1).toMinutes() % slot.toMinutes() != 0) {
            throw new IllegalArgumentException("a slot must divide a day into whole slots");
        }
        this.zone = zone;
        this.slot = slot;
        this.hours = hours;
    }

    public Duration slotLength() {
        return slot;
    }

    public ZoneId zone() {
        return zone;
    }

    /** True when the instant starts a slot: a whole number of slots after its local day's midnight. */
    public boolean onBoundary(Instant instant) {
        Instant midnight = instant.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        return Duration.between(midnight, instant).toMillis() % slot.toMillis() == 0;
    }

    /** The starts of the slots that [start, end) covers. */
    public List<Instant> slotsBetween(Instant start, Instant end) {
        List<Instant> slots = new ArrayList<>();
        for (Instant s = start; s.isBefore(end); s = s.plus(slot)) {
            slots.add(s);
        }
        return slots;
    }

    /** The slots of one local day, midnight to midnight: 23, 24 or 25 hours' worth. */
    public List<Instant> slotsOf(LocalDate day) {
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        return slotsBetween(from, to);
    }

    /** True when the resource is open during the whole of [start, end), which may span days. */
    public boolean open(Instant start, Instant end) {
        LocalDate day = start.atZone(zone).toLocalDate();
        Instant cursor = start;
        while (cursor.isBefore(end)) {
            Instant nextMidnight = day.plusDays(1).atStartOfDay(zone).toInstant();
            Instant partEnd = end.isBefore(nextMidnight) ? end : nextMidnight;
            int from = minutesAfterMidnight(cursor);
            int to = partEnd.equals(nextMidnight) ? OpeningHours.DAY : minutesAfterMidnight(partEnd);
            if (!hours.covers(day.getDayOfWeek(), from, to)) {
                return false;
            }
            cursor = partEnd;
            day = day.plusDays(1);
        }
        return true;
    }

    /** Wall-clock minutes: 02:30 is 150 on any day, also around a daylight-saving change. */
    private int minutesAfterMidnight(Instant instant) {
        var local = instant.atZone(zone).toLocalTime();
        return local.getHour() * 60 + local.getMinute();
    }
}
