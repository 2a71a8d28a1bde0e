package org.territoire.bookings.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.bookings.resources.SlotCalendar;

/**
 * Settles bookings that time has overtaken, run on a schedule: a pending booking its
 * operator never approved is cancelled at its start; a confirmed booking nobody checked in
 * within {@link Booking#NO_SHOW_GRACE} becomes a no-show and frees its remaining slots; a
 * checked-in booking is completed at its end. Each move is one conditional write or
 * transaction on the booking's status, so a late check-in and the sweep never both win.
 */
public final class BookingSweeper {
    /** What one sweep did. */
    public record Summary(int cancelledUnapproved, int noShows, int completed, int skipped) {
    }

    private final ResourceRepository resources;
    private final BookingRepository bookings;

    public BookingSweeper(ResourceRepository resources, BookingRepository bookings) {
        this.resources = resources;
        this.bookings = bookings;
    }

    public Summary sweep(Instant now) {
        int cancelled = 0;
        int noShows = 0;
        int completed = 0;
        int skipped = 0;
        Map<String, Optional<Resource>> cache = new HashMap<>();
        for (Booking b : bookings.due(now)) {
            Optional<Resource> resource = cache.computeIfAbsent(b.resourceId(), resources::find);
            if (resource.isEmpty()) {
                skipped++;
                continue;
            }
            SlotCalendar calendar = resource.get().calendar();
            Instant releaseUntil = b.end().plus(resource.get().buffer());
            boolean done = switch (b.status()) {
                case PENDING -> {
                    QuotaRule rule = bookings.quotaRule(b.kind()).orElse(QuotaRule.none(b.kind()));
                    Map<LocalDate, Integer> weeks = rule.maxMinutesPerWeek() == null ? Map.of()
                            : BookingService.weekMinutes(b.start(), b.end(), resource.get().zone());
                    boolean ok = bookings.cancel(b, calendar.slotsBetween(b.start(), releaseUntil), weeks, "system",
                            "not approved before its start", now);
                    cancelled += ok ? 1 : 0;
                    yield ok;
                }
                case CONFIRMED -> {
                    boolean ok = bookings.markNoShow(b, calendar.slotsBetween(firstWholeSlot(calendar, now, b.start()), releaseUntil), now);
                    noShows += ok ? 1 : 0;
                    yield ok;
                }
                case CHECKED_IN -> {
                    boolean ok = bookings.transition(b, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED, now);
                    completed += ok ? 1 : 0;
                    yield ok;
                }
                default -> false;
            };
            if (!done) {
                skipped++;
            }
        }
        return new Summary(cancelled, noShows, completed, skipped);
    }

    /** The first slot that has not begun yet: the slot under way stays with the no-show. */
    static Instant firstWholeSlot(SlotCalendar calendar, Instant now, Instant start) {
        Instant s = start;
        while (s.isBefore(now)) {
            s = s.plus(calendar.slotLength());
        }
        return s;
    }
}
