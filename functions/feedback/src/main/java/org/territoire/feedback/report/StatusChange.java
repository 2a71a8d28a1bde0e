package org.territoire.feedback.report;

import java.time.Instant;

/** One step of a report's history, public: who moved it, when, from what to what, and why. */
public record StatusChange(Instant at, String actorId, ReportStatus from, ReportStatus to, String note, String reason) {
}
