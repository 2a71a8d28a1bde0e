package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.List;

/**
 * The consultations that opened by the clock and were not announced yet, as the consultations'
 * sparse index holds them (docs/decisions.md, "Consultation Opened"). A scheduled consultation is
 * in the index as {@code UNANNOUNCED} until a sweep claims it ({@code ANNOUNCING}, one conditional
 * write: two sweeps at once, one claims), publishes its events and takes it out.
 */
public interface Openings {

    /**
     * One entry of the index as read, to condition the next write on: {@code at} is the opening,
     * or, once {@code claimed}, the claim's time.
     */
    record Opening(String consultationId, List<String> districts, Instant closesAt, Instant at, boolean claimed) {
    }

    /** Unannounced consultations that opened at or before {@code now}, oldest first, at most {@code limit}. */
    List<Opening> unannouncedOpenedBy(Instant now, int limit);

    /** Claims announced ones whose announcement started at or before {@code before} and never finished (the bus refused). */
    List<Opening> announcingSince(Instant before, int limit);

    /** Moves the entry, as read, to {@code ANNOUNCING} at {@code now}; false when another sweep (or an edit) changed it meanwhile. */
    boolean claim(Opening opening, Instant now);

    /** Takes the entry claimed at {@code claimedAt} out of the index (the consultation announced); false if it is no longer this claim. */
    boolean announced(String consultationId, Instant claimedAt);
}
