package org.territoire.bookings.calendar;

import java.util.Optional;

/** Where the secret calendar feed of each person is recorded (only a hash of its secret is stored). */
public interface CalendarFeeds {
    /** Makes {@code secretHash} the person's only feed, retiring the previous one atomically. */
    void replace(String userId, String secretHash);

    Optional<String> owner(String secretHash);
}
