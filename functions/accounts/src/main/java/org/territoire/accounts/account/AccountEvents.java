package org.territoire.accounts.account;

import java.time.Instant;

/**
 * What the accounts capability tells the others, on the territory's bus (source
 * {@value #SOURCE}): they erase or export what they hold, each in its own consumer.
 */
public interface AccountEvents {
    String SOURCE = "territoire.accounts";
    String DELETED = "Account Deleted";
    String EXPORT_REQUESTED = "Account Export Requested";

    /** {@code {"accountId": sub, "deletedAt": instant}}. */
    void deleted(String accountId, Instant deletedAt);

    /** {@code {"accountId": sub, "exportId": uuid, "requestedAt": instant}}. */
    void exportRequested(String accountId, String exportId, Instant requestedAt);
}
