package org.territoire.accounts.roles;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of who granted or revoked which role of whom, and when. Each change writes the
 * account's standing for that role and one history entry in one transaction: there is no state
 * change without its entry, nor an entry without its change. The user pool then follows the
 * standing (it cannot join a DynamoDB transaction).
 */
public interface RoleLedger {

    /** One grant or revocation; {@code organisationId} only for a provider grant. */
    record Entry(String accountId, String role, boolean granted, Optional<String> organisationId, String by, Instant at) {
    }

    /** The standing and its history entry, in one transaction. */
    void record(Entry change);

    /** The standing of one role of the account: the last change recorded, if any. */
    Optional<Entry> standing(String accountId, String role);

    /** Every change recorded for the account, newest first. */
    List<Entry> history(String accountId);
}
