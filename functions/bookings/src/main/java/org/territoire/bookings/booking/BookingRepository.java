package org.territoire.bookings.booking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.page.Page;

/**
 * Where bookings are kept with what they hold: slot counters, quota tokens, week minutes.
 * Every change is one transaction. (The quota rules themselves are {@link QuotaRules}.)
 */
public interface BookingRepository {

    /** Writes the whole reservation atomically, or throws {@link ReservationRefused} and writes nothing. */
    void reserve(Reservation reservation);

    /**
     * Cancels a booking that is still pending or confirmed, giving back what the release
     * names and its quota token, atomically. False when it was no longer cancellable (for
     * instance cancelled by a concurrent request): nothing is given back twice.
     */
    boolean cancel(Booking booking, Release release, String by, String reason, Instant at);

    /** Bookings whose {@link Booking#sweepAt()} is not after {@code now} (looking back a week at most). */
    List<Booking> due(Instant now);

    /**
     * Marks a confirmed booking as a no-show, giving back what the release names (its slots
     * that have not begun) and its quota token, atomically; false when it was no longer
     * confirmed (checked in meanwhile).
     */
    boolean markNoShow(Booking booking, Release release, Instant at);

    /** Moves a booking from one status to another if it still has the first; false otherwise. */
    boolean transition(Booking booking, BookingStatus from, BookingStatus to, Instant at);

    Optional<Booking> findBooking(String id);

    Page<Booking> ofUser(String userId, int limit, Optional<String> pageToken);

    Page<Booking> ofResource(String resourceId, int limit, Optional<String> pageToken);

    /** The resource's bookings whose start is in [from, to], newest first (a narrow window: all of them). */
    List<Booking> ofResourceStartingBetween(String resourceId, Instant from, Instant to);

    /** Units booked per slot start, for slots in [from, to) that have any. */
    Map<Instant, Integer> usage(String resourceId, Instant from, Instant to);

    /** The person's quota tokens for a kind that are held: token number → end of the booking holding it. */
    Map<Integer, Instant> heldTokens(String userId, ResourceKind kind);
}
