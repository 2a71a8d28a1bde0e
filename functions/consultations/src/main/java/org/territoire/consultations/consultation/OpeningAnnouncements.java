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
 * Announces "Consultation Opened" once a consultation's opening time has passed: nobody writes at
 * that instant, so the consultations sweep does. Each opening is claimed by one conditional write
 * before its events go (overlapping sweeps announce once), and leaves the index only once the bus
 * took every event: a refused one leaves it claimed, and a sweep after {@link #REPUBLISH_AFTER}
 * publishes it again (at least once; the notifications' delivery log, keyed by the consultation,
 * makes it once for each person).
 */
public final class OpeningAnnouncements {
    private static final Logger LOG = LoggerFactory.getLogger(OpeningAnnouncements.class);
    public static final String OPENED = "Consultation Opened";
    /** Openings one sweep takes at most; the next run takes the rest. */
    static final int BATCH = 200;
    /** A claim this old whose events never all went is published again (not while its sweep may still be publishing). */
    public static final Duration REPUBLISH_AFTER = Duration.ofMinutes(5);

    /** What one sweep did: announced (first time), republished, closed before any sweep saw them (not announced), failed. */
    public record Summary(int announced, int republished, int tooLate, int failed) {
    }

    private final Openings openings;
    private final DomainEvents events;

    /** @param events the bus as it is: a refusal must throw here, so the opening stays claimed for the next sweep */
    public OpeningAnnouncements(Openings openings, DomainEvents events) {
        this.openings = openings;
        this.events = events;
    }

    public Summary sweep(Instant now) {
        int announced = 0;
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
                    openings.announced(o.consultationId(), now);
                    tooLate++;
                    continue;
                }
                publish(o, now);
                announced++;
            } catch (RuntimeException e) {
                failed++;
                LOG.error("could not announce the opening of consultation {}: {}", o.consultationId(), e.toString());
            }
        }
        for (Openings.Opening o : openings.announcingSince(now.minus(REPUBLISH_AFTER), BATCH)) {
            try {
                if (openings.claim(o, now)) {
                    publish(o, now);
                    republished++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("could not announce again the opening of consultation {}: {}", o.consultationId(), e.toString());
            }
        }
        return new Summary(announced, republished, tooLate, failed);
    }

    /** One event per district (its residents are told), or one territory-wide (district null), as results are published. */
    private void publish(Openings.Opening o, Instant claimedAt) {
        for (String district : o.districts().isEmpty() ? Collections.<String>singletonList(null) : o.districts()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("consultationId", o.consultationId());
            detail.put("district", district);
            events.publish(OPENED, detail);
        }
        openings.announced(o.consultationId(), claimedAt);
    }
}
