package org.territoire.bookings.booking;

/** pending (awaiting the operator) → confirmed → checked_in → completed; or cancelled; or no_show. */
public enum BookingStatus {
    PENDING, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED, NO_SHOW;

    /** Statuses that hold capacity and can still be cancelled. */
    public boolean cancellable() {
        return this == PENDING || this == CONFIRMED;
    }
}
