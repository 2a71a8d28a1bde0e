package org.territoire.shared.accounts;

import java.time.Instant;
import java.util.Map;

/**
 * What one capability holds about a person, for the accounts capability's events: each
 * capability implements it over its own table only (never another's).
 */
public interface PersonalData {
    /** What the capability is called in an export's key ({@code exports/<exportId>/<capability>.json}). */
    String capability();

    /**
     * Everything held about the account, as a JSON-ready document (maps, lists, strings,
     * numbers), with a {@code readme} saying what each part is.
     */
    Map<String, Object> export(String accountId);

    /**
     * Erases or anonymises what is held about the account; idempotent: a second call (a
     * redelivered event) finds nothing left and changes nothing, counters included. Returns
     * what it did, by kind (counts only, nothing personal), for the log.
     */
    Map<String, Integer> erase(String accountId, Instant deletedAt);
}
