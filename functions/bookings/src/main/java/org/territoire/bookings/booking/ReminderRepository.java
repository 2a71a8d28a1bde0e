package org.territoire.bookings.booking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The bookings a reminder is owed to, and the one conditional write that says it was given. */
public interface ReminderRepository {
    /**
     * Confirmed bookings not reminded yet whose start is in ({@code now}, {@code now + lead}],
     * read from the sweep's index (never a Scan).
     */
    List<Booking> dueForReminder(Instant now, Duration lead);

    /**
     * Marks the booking reminded if it is still confirmed and was not reminded: true for exactly
     * one caller, however many sweeps run at once; false for a booking cancelled meanwhile.
     */
    boolean markReminded(Booking booking, Instant at);
}
