package org.territoire.bookings.booking;

import java.time.OffsetDateTime;

/** The body of {@code POST /bookings}: ISO-8601 times with an offset, e.g. 2026-12-01T09:00:00+01:00. */
public record CreateBookingCommand(String resourceId, OffsetDateTime start, OffsetDateTime end, Integer units) {
}
