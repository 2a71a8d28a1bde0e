package org.territoire.bookings.booking;

import java.time.Instant;
import org.territoire.bookings.resources.ResourceKind;

/** A booking of {@code units} of a resource over {@code [start, end)}. */
public record Booking(String id, String resourceId, ResourceKind kind, String userId, Instant start, Instant end,
                      int units, BookingStatus status, Instant createdAt, String cancelledBy, String cancelReason,
                      String quotaToken) {

    public Booking withStatus(BookingStatus next) {
        return new Booking(id, resourceId, kind, userId, start, end, units, next, createdAt, cancelledBy, cancelReason, quotaToken);
    }
}
