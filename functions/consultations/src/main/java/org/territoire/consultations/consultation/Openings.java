package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.List;

/**
 * The consultations and participatory budgets' votes that opened by the clock and were not
 * announced yet, as the consultations' sparse index holds them (docs/decisions.md, "Consultation
 * Opened"). A scheduled consultation, or a budget's vote marker, is in the index as
 * {@code UNANNOUNCED} until a sweep claims it ({@code ANNOUNCING}, one conditional write: two
 * sweeps at once, one claims), publishes its events and takes it out.
 */
public interface Openings {

    /** What opens: a consultation, or the vote phase of a participatory budget. */
    enum Subject { CONSULTATION, BUDGET_VOTE }

    /**
     * One entry of the index as read, to condition the next write on: {@code id} is the consultation's or the budget's,
     * {@code closesAt} the consultation's or the vote's close; {@code at} is the opening, or, once {@code claimed}, the
     * claim's time.
     */
    record Opening(Subject subject, String id, List<String> districts, Instant closesAt, Instant at, boolean claimed) {
    }

    /** Unannounced consultations that opened at or before {@code now}, oldest first, at most {@code limit}. */
    List<Opening> unannouncedOpenedBy(Instant now, int limit);

    /** Claims announced ones whose announcement started at or before {@code before} and never finished (the bus refused). */
    List<Opening> announcingSince(Instant before, int limit);

    /** Moves the entry, as read, to {@code ANNOUNCING} at {@code now}; false when another sweep (or an edit) changed it meanwhile. */
    boolean claim(Opening opening, Instant now);

    /** Takes the entry claimed at {@code claimedAt} out of the index (announced); false if it is no longer this claim. */
    boolean announced(Opening opening, Instant claimedAt);

    /**
     * Once per deployment: puts into the index what was scheduled before it existed and is still to close at {@code now}
     * (consultations, budgets' votes), guarded by a marker item so that later runs read one item and nothing else.
     * Idempotent: an entry already in the index, or announced, is left as it is. Returns how many entries it added
     * (0 once done).
     */
    int backfillOnce(Instant now);
}
