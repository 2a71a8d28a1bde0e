package org.territoire.bookings.booking;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Everything one booking takes, written in one transaction or not at all: a unit count on
 * each slot it covers (its buffer included) without passing the capacity, the booking
 * itself, and the person's quota for the resource's kind.
 *
 * @param slots        slot starts whose counters grow by the booking's units
 * @param capacity     the resource's capacity: no counter may pass it
 * @param quotaToken   which of the person's active-booking tokens it takes (null: no such quota)
 * @param weekMinutes  minutes it adds to each ISO week it touches (empty: no weekly quota)
 * @param maxWeekMinutes the weekly limit (null: none)
 * @param now          to tell a token held by an ended booking, which may be taken over
 */
public record Reservation(Booking booking, List<Instant> slots, int capacity, Integer quotaToken,
                          Map<LocalDate, Integer> weekMinutes, Integer maxWeekMinutes, Instant now) {
    public Reservation {
        slots = List.copyOf(slots);
        weekMinutes = Map.copyOf(weekMinutes);
    }
}
