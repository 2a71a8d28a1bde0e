package org.territoire.bookings.booking;

/** The store refused a reservation because one of its conditions failed (a real condition, never a conflict). */
public final class ReservationRefused extends RuntimeException {
    public enum Reason {
        /** A slot has not enough units left. */
        CAPACITY,
        /** The quota token was taken by a concurrent booking: pick another and retry. */
        QUOTA_TOKEN_TAKEN,
        /** The weekly minutes would pass the limit. */
        WEEKLY_QUOTA,
        /**
         * A booking with this id exists already. Ids are random UUIDs, so this is answered
         * like every id collision of the project: 409, never retried under the same id.
         * (Transactions that only conflicted with concurrent ones are not refusals: the store
         * retries them and then reports a retryable storage failure, 503.)
         */
        ID_TAKEN,
        /** The booker's account was deleted (their token outlived it): nothing is booked in its name. */
        ACCOUNT_ERASED
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
