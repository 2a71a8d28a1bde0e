package org.territoire.bookings.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a booking took when it was made, stored on the booking item, so that cancelling it,
 * a no-show or the sweep gives back exactly that whatever the rules are by then: a quota
 * added, a buffer or a time zone changed afterwards must not change what is released.
 * The units are the booking's own, and the quota token is {@link Booking#quotaToken()}.
 *
 * @param slots       the slot starts whose counters it raised (buffer included)
 * @param weekMinutes the minutes it added to each ISO week counter, by that week's Monday
 *                    (empty when no weekly quota applied when it was made)
 */
public record Hold(List<Instant> slots, Map<LocalDate, Integer> weekMinutes) {
    public Hold {
        slots = List.copyOf(slots);
        weekMinutes = Map.copyOf(weekMinutes);
    }
}
