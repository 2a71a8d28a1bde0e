package org.territoire.feedback.loop;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.page.Page;

/**
 * Resolution checks and reopen requests. Each method that moves something is one conditional
 * write or transaction: false when its condition failed (someone else moved it first).
 */
public interface LoopRepository {
    /** Pending checks of reports resolved before {@code cutoff}, oldest first, at most {@code limit}. */
    List<ResolutionCheck> pendingResolvedBefore(Instant cutoff, int limit);

    /** Checks marked due before {@code before} whose event was not confirmed published (the sweep publishes them again). */
    List<ResolutionCheck> dueUnannounced(Instant before, int limit);

    /** PENDING to DUE, once: false when another sweep (or a reopening) got there first. */
    boolean markDue(ResolutionCheck check, Instant at);

    /** The event of a due check was published: it leaves the sweep's index. */
    void announced(ResolutionCheck check);

    Optional<ResolutionCheck> check(String reportId);

    /** DUE to ANSWERED with the answer (YES or PARTLY), once. */
    boolean answer(ResolutionCheck check, ResolutionCheck.Answer answer, String comment, Instant at);

    /**
     * DUE to ANSWERED with {@code NO}, and the report from resolved back to {@code step.to()} with
     * {@code step} in its history, in one transaction.
     */
    boolean answerNoAndReopen(Report report, ResolutionCheck check, String comment, StatusChange step);

    /** A new pending request, unless the person has one pending for the report or the report is no longer resolved. */
    boolean request(ReopenRequest request);

    Optional<ReopenRequest> request(String reportId, String requesterId);

    List<ReopenRequest> requests(String reportId);

    /** The organisation's pending requests, oldest first. */
    Page<ReopenRequest> pending(String organisationId, int limit, Optional<String> token);

    /** PENDING to REFUSED with the public reason, once. */
    boolean refuse(ReopenRequest request, String answeredBy, String reason, Instant at);

    /** PENDING to ACCEPTED, for a report someone else reopened already. */
    boolean accept(ReopenRequest request, String answeredBy, Instant at);

    /**
     * PENDING to ACCEPTED and the report from resolved back to {@code step.to()} with {@code step}
     * in its history (its resolution check, if any, dropped), in one transaction.
     */
    boolean acceptAndReopen(Report report, ReopenRequest request, StatusChange step);

    /** The timings of the reports filed in [since, until], by Query of their months (never a Scan). */
    List<ReportStats.Timing> filedBetween(Instant since, Instant until);

    void saveStats(ReportStats stats);

    Optional<ReportStats> stats();
}
