package org.territoire.consultations.consultation;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.events.DomainEvents;

/**
 * Announces "Consultation Opened" once a consultation's opening time has passed, and "Budget Vote
 * Opened" once a participatory budget's vote phase has: nobody writes at that instant, so the
 * consultations sweep does. Each opening is claimed by one conditional write
 * before its events go (overlapping sweeps announce once), and leaves the index only once the bus
 * took every event: a refused one leaves it claimed, and a sweep after {@link #REPUBLISH_AFTER}
 * publishes it again (at least once; the notifications' delivery log, keyed by the consultation,
 * makes it once for each person). A vote or consultation that closed before any sweep saw it is
 * taken out without an event.
 */
public final class OpeningAnnouncements {
    private static final Logger LOG = LoggerFactory.getLogger(OpeningAnnouncements.class);
    public static final String OPENED = "Consultation Opened";
    public static final String VOTE_OPENED = "Budget Vote Opened";
    /** Openings one sweep takes at most; the next run takes the rest. */
    static final int BATCH = 200;
    /** A claim this old whose events never all went is published again (not while its sweep may still be publishing). */
    public static final Duration REPUBLISH_AFTER = Duration.ofMinutes(5);

    /**
     * What one sweep did: consultations announced (first time), budgets' votes announced (first time), either republished,
     * closed before any sweep saw them (not announced), failed.
     */
    public record Summary(int announced, int votesAnnounced, int republished, int tooLate, int failed) {
    }

    private final Openings openings;
    private final DomainEvents events;

    /** @param events the bus as it is: a refusal must throw here, so the opening stays claimed for the next sweep */
    public OpeningAnnouncements(Openings openings, DomainEvents events) {
        this.openings = openings;
        this.events = events;
    }

    /** See {@link Openings#backfillOnce}: how many entries it put into the index (0 once done). */
    public int backfillOnce(Instant now) {
        return openings.backfillOnce(now);
    }

    public Summary sweep(Instant now) {
        int announced = 0;
        int votes = 0;
        int republished = 0;
        int tooLate = 0;
        int failed = 0;
        for (Openings.Opening o : openings.unannouncedOpenedBy(now, BATCH)) {
            try {
                if (!openings.claim(o, now)) {
                    continue; // another sweep claimed it, or an agent's edit moved it
                }
                if (!o.closesAt().isAfter(now)) {
                    // Closed before any sweep ran (the sweep was off): "it is open" would be false by now.
                    openings.announced(o, now);
                    tooLate++;
                    continue;
                }
                publish(o, now);
                if (o.subject() == Openings.Subject.BUDGET_VOTE) {
                    votes++;
                } else {
                    announced++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("could not announce the opening of {} {}: {}", what(o), o.id(), e.toString());
            }
        }
        for (Openings.Opening o : openings.announcingSince(now.minus(REPUBLISH_AFTER), BATCH)) {
            try {
                if (!openings.claim(o, now)) {
                    continue;
                }
                if (!o.closesAt().isAfter(now)) {
                    // Closed since its first announcement was refused (a vote closed early): too late to say it is open.
                    openings.announced(o, now);
                    tooLate++;
                    continue;
                }
                publish(o, now);
                republished++;
            } catch (RuntimeException e) {
                failed++;
                LOG.error("could not announce again the opening of {} {}: {}", what(o), o.id(), e.toString());
            }
        }
        return new Summary(announced, votes, republished, tooLate, failed);
    }

    /** One event per district (its residents are told), or one territory-wide (district null), as results are published. */
    private void publish(Openings.Opening o, Instant claimedAt) {
        for (String district : o.districts().isEmpty() ? Collections.<String>singletonList(null) : o.districts()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            if (o.subject() == Openings.Subject.BUDGET_VOTE) {
                detail.put("budgetId", o.id());
                detail.put("district", district);
                detail.put("closesAt", o.closesAt().toString());
                events.publish(VOTE_OPENED, detail);
            } else {
                detail.put("consultationId", o.id());
                detail.put("district", district);
                events.publish(OPENED, detail);
            }
        }
        openings.announced(o, claimedAt);
    }

    private static String what(Openings.Opening o) {
        return o.subject() == Openings.Subject.BUDGET_VOTE ? "the vote of budget" : "consultation";
    }
}
