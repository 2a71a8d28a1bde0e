package org.territoire.bookings.booking;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger LOG = LoggerFactory.getLogger(BookingSweeper.class);

    /** What one sweep did; {@code failed} bookings stay due and are tried again by the next sweep. */
    public record Summary(int cancelledUnapproved, int noShows, int completed, int skipped, int failed) {
    }

    private final ResourceRepository resources;
    private final BookingRepository bookings;
    private final QuotaRules quotas;

    public BookingSweeper(ResourceRepository resources, BookingRepository bookings, QuotaRules quotas) {
        this.resources = resources;
        this.bookings = bookings;
        this.quotas = quotas;
    }

    private enum Outcome { CANCELLED, NO_SHOW, COMPLETED, SKIPPED }

    /**
     * Settles each due booking on its own: one that cannot be settled (a storage failure, a
     * booking whose counters are out of step) is logged by id and counted, and the sweep goes
     * on with the others; it stays in the due index, so the next sweep tries it again.
     */
    public Summary sweep(Instant now) {
        int[] counts = new int[Outcome.values().length];
        int failed = 0;
        Map<String, Optional<Resource>> cache = new HashMap<>();
        for (Booking b : bookings.due(now)) {
            try {
                counts[settle(b, now, cache).ordinal()]++;
            } catch (RuntimeException e) {
                failed++;
                // The booking's id only: no user id or other personal data in the logs.
                LOG.error("sweep could not settle booking {} ({})", b.id(), b.status(), e);
            }
        }
        return new Summary(counts[Outcome.CANCELLED.ordinal()], counts[Outcome.NO_SHOW.ordinal()],
                counts[Outcome.COMPLETED.ordinal()], counts[Outcome.SKIPPED.ordinal()], failed);
    }

    private Outcome settle(Booking b, Instant now, Map<String, Optional<Resource>> cache) {
        Optional<Resource> resource = cache.get(b.resourceId());
        if (resource == null) {
            resource = resources.find(b.resourceId());
            cache.put(b.resourceId(), resource);
        }
        if (resource.isEmpty()) {
            return Outcome.SKIPPED;
        }
        return switch (b.status()) {
            case PENDING -> {
                QuotaRule rule = b.hold() != null ? QuotaRule.none(b.kind()) : quotas.find(b.kind()).orElse(QuotaRule.none(b.kind()));
                yield bookings.cancel(b, Release.whole(b, resource.get(), rule), "system", "not approved before its start", now)
                        ? Outcome.CANCELLED : Outcome.SKIPPED;
            }
            case CONFIRMED -> bookings.markNoShow(b, Release.remaining(b, resource.get(), now), now) ? Outcome.NO_SHOW : Outcome.SKIPPED;
            case CHECKED_IN -> bookings.transition(b, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED, now)
                    ? Outcome.COMPLETED : Outcome.SKIPPED;
            default -> Outcome.SKIPPED;
        };
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
