package org.territoire.feedback.report;

import java.time.Instant;

/**
 * One step of a report's history: who moved it, in what capacity ({@code actorRole}:
 * {@value #RESIDENT}, {@value #OPERATOR} or {@value #AGENT}), when, from what to what, and why.
 * Everyone sees the role; only the report's insiders see the actor's id ({@link #withoutActor()}).
 */
public record StatusChange(Instant at, String actorId, String actorRole, ReportStatus from, ReportStatus to, String note,
                           String reason) {
    public static final String RESIDENT = "resident";
    public static final String OPERATOR = "operator";
    public static final String AGENT = "agent";

    /** The step as anyone may see it: the actor's role, not who they are. */
    public StatusChange withoutActor() {
        return new StatusChange(at, null, actorRole, from, to, note, reason);
    }
}
