package org.territoire.bookings.booking;

/** The store refused a reservation because one of its conditions failed. */
public final class ReservationRefused extends RuntimeException {
    public enum Reason {
        /** A slot has not enough units left. */
        CAPACITY,
        /** The quota token was taken by a concurrent booking: pick another and retry. */
        QUOTA_TOKEN_TAKEN,
        /** The weekly minutes would pass the limit. */
        WEEKLY_QUOTA,
        /** Another transaction was writing the same items (DynamoDB TransactionConflict): retry. */
        CONTENTION
    }

    private final Reason reason;

    public ReservationRefused(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
