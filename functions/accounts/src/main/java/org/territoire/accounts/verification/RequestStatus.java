package org.territoire.accounts.verification;

/** Where a verification request stands. PENDING and LETTER_SENT are open; the others are decisions, kept. */
public enum RequestStatus {
    PENDING, LETTER_SENT, APPROVED, REJECTED;

    public boolean open() {
        return this == PENDING || this == LETTER_SENT;
    }
}
