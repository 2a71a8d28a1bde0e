package org.territoire.feedback.loop;

import java.time.Instant;

/**
 * A resident's request to reopen a resolved report, with their reason, which the operator
 * accepts (the report reopens) or refuses with a public reason. One pending request per person
 * and report; a refused person may ask again.
 */
public record ReopenRequest(String reportId, String organisationId, String requesterId, String reason, State state,
                            Instant requestedAt, String answeredBy, String answer, Instant answeredAt) {

    public enum State { PENDING, ACCEPTED, REFUSED }

    /** The request as anyone may see it: not who asked nor who answered. */
    public ReopenRequest withoutActors() {
        return new ReopenRequest(reportId, organisationId, null, reason, state, requestedAt, null, answer, answeredAt);
    }
}
