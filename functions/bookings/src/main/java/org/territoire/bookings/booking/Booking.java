package org.territoire.bookings.booking;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.territoire.bookings.resources.ResourceKind;

/**
 * A booking of {@code units} of a resource over {@code [start, end)}.
 *
 * @param hold what it took when it was made; null for a booking stored before holds were
 *             recorded, whose release is recomputed from the resource (see DynamoBookings)
 * @param revision how many times its status changed since it was made (the iCalendar SEQUENCE)
 * @param updatedAt when it last changed (its creation until then)
 */
public record Booking(String id, String resourceId, ResourceKind kind, String userId, Instant start, Instant end,
                      int units, BookingStatus status, Instant createdAt, String cancelledBy, String cancelReason,
                      String quotaToken, Hold hold, int revision, Instant updatedAt) {

    /** A booking as it is made: revision 0, changed when it was created. */
    public Booking(String id, String resourceId, ResourceKind kind, String userId, Instant start, Instant end,
                   int units, BookingStatus status, Instant createdAt, String cancelledBy, String cancelReason,
                   String quotaToken, Hold hold) {
        this(id, resourceId, kind, userId, start, end, units, status, createdAt, cancelledBy, cancelReason, quotaToken, hold,
                0, createdAt);
    }

    /** A confirmed booking not checked in this long after its start is a no-show. */
    public static final Duration NO_SHOW_GRACE = Duration.ofMinutes(15);

    /**
     * When the sweep must look at this booking: a pending one at its start (never approved),
     * a confirmed one when its grace period ends (no-show), a checked-in one at its end
     * (completed). Settled bookings need nothing more.
     */
    public Optional<Instant> sweepAt() {
        return switch (status) {
            case PENDING -> Optional.of(start);
            case CONFIRMED -> Optional.of(start.plus(NO_SHOW_GRACE));
            case CHECKED_IN -> Optional.of(end);
            default -> Optional.empty();
        };
    }

    public Booking cancelled(String by, String reason) {
        return new Booking(id, resourceId, kind, userId, start, end, units, BookingStatus.CANCELLED, createdAt, by, reason,
                quotaToken, hold, revision + 1, updatedAt);
    }

    public Booking withStatus(BookingStatus next) {
        return new Booking(id, resourceId, kind, userId, start, end, units, next, createdAt, cancelledBy, cancelReason, quotaToken, hold,
                revision + 1, updatedAt);
    }
}
