package org.territoire.accounts.account;

import java.time.Instant;
import java.util.Optional;

/** The port over the accounts table's own records of deletions and exports. */
public interface AccountStore {
    /**
     * Records that the account is deleted, once: the instant of the first record, which a retried
     * deletion reuses so that the event it publishes again is the same.
     */
    Instant recordDeletion(String accountId, Instant at);

    void recordExport(String accountId, String exportId, Instant at);

    /** When the account asked for this export; empty when it is not theirs, unknown or lapsed. */
    Optional<Instant> export(String accountId, String exportId);
}
