package org.territoire.bookings.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.SlotCalendar;

/**
 * What settling a booking gives back (its units on these slots, these week minutes; its quota
 * token always, if it still holds it).
 *
 * @param recomputed true for a booking stored without its {@link Hold}: the release was
 *                   recomputed from today's resource and quota rule, which may differ from
 *                   what it took, so the store gives back only what the counters can give
 *                   (never below zero) instead of refusing the whole settlement
 */
public record Release(List<Instant> slots, Map<LocalDate, Integer> weekMinutes, boolean recomputed) {
    public Release {
        slots = List.copyOf(slots);
        weekMinutes = Map.copyOf(weekMinutes);
    }

    /**
     * Everything the booking holds (a cancellation). A booking stored without its hold gets
     * what today's rules say it took, on the safe side: an over-release could let a slot be
     * overbooked, an under-release only leaves a unit taken until the slot passes. So its
     * buffer is released only while the resource was never edited since versions were
     * recorded (version 0: the buffer may not have changed), and its week minutes only when
     * the weekly limit already applied when it was made (or since an unknown time).
     */
    public static Release whole(Booking b, Resource resource, QuotaRule currentRule) {
        if (b.hold() != null) {
            return new Release(b.hold().slots(), b.hold().weekMinutes(), false);
        }
        boolean limitApplied = currentRule.maxMinutesPerWeek() != null
                && (currentRule.weeklySince() == null || !currentRule.weeklySince().isAfter(b.createdAt()));
        Map<LocalDate, Integer> weeks = limitApplied ? BookingService.weekMinutes(b.start(), b.end(), resource.zone()) : Map.of();
        return new Release(resource.calendar().slotsBetween(b.start(), legacyReleaseEnd(b, resource)), weeks, true);
    }

    /** A no-show's: the slots that have not begun at {@code now} (the one under way stays taken), not its hours. */
    public static Release remaining(Booking b, Resource resource, Instant now) {
        if (b.hold() != null) {
            return new Release(b.hold().slots().stream().filter(s -> !s.isBefore(now)).toList(), Map.of(), false);
        }
        SlotCalendar calendar = resource.calendar();
        return new Release(calendar.slotsBetween(BookingSweeper.firstWholeSlot(calendar, now, b.start()),
                legacyReleaseEnd(b, resource)), Map.of(), true);
    }

    private static Instant legacyReleaseEnd(Booking b, Resource resource) {
        return resource.version() == 0 ? b.end().plus(resource.buffer()) : b.end();
    }
}
