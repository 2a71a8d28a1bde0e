package org.territoire.accounts.verification;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** The port over the census the territory loaded (keyed hashes and districts only) and the attempts counter. */
public interface CensusStore {
    record Entry(String hmac, String district) {
    }

    /** Loads (or replaces) entries; an entry already claimed keeps its claim. */
    int load(List<Entry> entries);

    Optional<String> district(String hmac);

    /** Binds the entry to the account, once: false when another account claimed it first. */
    boolean claim(String hmac, String accountId);

    /** Releases what the account claimed (its deletion). */
    void release(String accountId);

    /**
     * Counts one census attempt of the account on that day, conditionally below {@code limit}: false
     * (and nothing counted) when the day's attempts are spent. The counter holds the account and a
     * number, never what was typed.
     */
    boolean countAttempt(String accountId, LocalDate day, int limit);
}
