package org.territoire.feedback.loop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.feedback.events.PublishedReportEvents;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportEvents;
import org.territoire.feedback.report.ReportRepository;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Closing the loop on resolved reports: the author is asked, some weeks after the resolution,
 * whether it is really fixed ("no" reopens it), and any resident may ask the operator to reopen
 * it, with a reason the operator must answer. Every move is one conditional write or
 * transaction; events are published after the write committed (docs/decisions.md).
 */
public final class LoopService {
    private static final Logger LOG = LoggerFactory.getLogger(LoopService.class);

    public static final String CHECK_DUE = "Report Resolution Check Due";
    public static final String REOPEN_REQUESTED = "Report Reopen Requested";
    public static final String STATUS_CHANGED = "Report Status Changed";

    /** How long after its resolution a report's author is asked, unless configured otherwise. */
    public static final Duration DEFAULT_CHECK_AFTER = Duration.ofDays(28);
    /** Checks one sweep marks at most; the next run takes the rest. */
    static final int SWEEP_BATCH = 500;
    /** A due check whose event is still unconfirmed this long after its marking is published again. */
    static final Duration REPUBLISH_AFTER = Duration.ofMinutes(5);

    /** The body of {@code POST /reports/{id}/resolution-check}. */
    public record CheckAnswer(ResolutionCheck.Answer answer, String comment) {
    }

    /** The body of {@code POST /reports/{id}/reopen-requests}. */
    public record NewReopenRequest(String reason) {
    }

    public enum Decision { ACCEPT, REFUSE }

    /** The body of {@code POST /reports/{id}/reopen-requests/{requesterId}/decision}. */
    public record ReopenDecision(Decision decision, String reason) {
    }

    /** What a sweep did. */
    public record SweepSummary(int markedDue, int republished, int failed, boolean statsComputed) {
    }

    /** The public figures are computed again by the first sweep after they are this old. */
    static final Duration STATS_EVERY = Duration.ofHours(1);

    private final ReportRepository reports;
    private final LoopRepository loop;
    private final DomainEvents events;
    private final Clock clock;
    private final Duration checkAfter;
    private final java.util.function.Function<String, Optional<String>> categoryOf;
    private ReportEvents statusEvents;

    public LoopService(ReportRepository reports, LoopRepository loop, DomainEvents events, Clock clock, Duration checkAfter) {
        this(reports, loop, events, clock, checkAfter, serviceId -> Optional.empty());
    }

    /** {@code categoryOf}: a service's category, for the public figures (the catalogue's). */
    public LoopService(ReportRepository reports, LoopRepository loop, DomainEvents events, Clock clock, Duration checkAfter,
                       java.util.function.Function<String, Optional<String>> categoryOf) {
        if (checkAfter.isNegative()) {
            throw new IllegalArgumentException("the resolution check delay cannot be negative");
        }
        this.reports = reports;
        this.loop = loop;
        this.events = events;
        this.clock = clock;
        this.checkAfter = checkAfter;
        this.categoryOf = categoryOf;
        this.statusEvents = new PublishedReportEvents(events, reportId -> List.of());
    }

    // ------------------------------------------------------------------ resolution checks

    /**
     * SnapStart priming: the sweep's two reads at {@code now} (the checks due, the announcements to repeat), nothing marked or
     * announced, no figures computed. Returns how many checks each read found.
     */
    java.util.Map<String, Integer> sweepReads(Instant now) {
        return java.util.Map.of("pending", loop.pendingResolvedBefore(now.minus(checkAfter), SWEEP_BATCH).size(),
                "unannounced", loop.dueUnannounced(now.minus(REPUBLISH_AFTER), SWEEP_BATCH).size());
    }

    /**
     * Marks due, once each, the checks of reports resolved at least the delay ago, and announces
     * them; then announces again the due checks whose event a failed publication left unconfirmed.
     */
    public SweepSummary sweep(Instant now) {
        int marked = 0;
        int republished = 0;
        int failed = 0;
        for (ResolutionCheck check : loop.pendingResolvedBefore(now.minus(checkAfter), SWEEP_BATCH)) {
            try {
                if (loop.markDue(check, now)) {
                    marked++;
                    announce(check);
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("sweep could not mark or announce the resolution check of report {}", check.reportId(), e);
            }
        }
        for (ResolutionCheck check : loop.dueUnannounced(now.minus(REPUBLISH_AFTER), SWEEP_BATCH)) {
            try {
                announce(check);
                republished++;
            } catch (RuntimeException e) {
                failed++;
                LOG.error("sweep could not announce the resolution check of report {}", check.reportId(), e);
            }
        }
        boolean computed = false;
        try {
            computed = refreshStatsIfOlderThan(now, STATS_EVERY);
        } catch (RuntimeException e) {
            failed++;
            LOG.error("sweep could not compute the public figures", e);
        }
        return new SweepSummary(marked, republished, failed, computed);
    }

    /** Computes and stores the public figures unless the stored ones were computed less than {@code age} before {@code now}. */
    public boolean refreshStatsIfOlderThan(Instant now, Duration age) {
        Optional<ReportStats> stored = loop.stats();
        if (stored.isPresent() && stored.get().computedAt().isAfter(now.minus(age)) && !stored.get().computedAt().isAfter(now)) {
            return false;
        }
        loop.saveStats(ReportStats.of(now, loop.filedBetween(now.minus(ReportStats.WINDOW), now), categoryOf));
        return true;
    }

    /** {@code GET /reports/stats}: the figures the last sweep stored (one read, whatever the number of reports). */
    public Optional<ReportStats> stats() {
        return loop.stats();
    }

    /** Publishes the check's event, then takes it out of the sweep's index; a failure leaves it there for the next run. */
    private void announce(ResolutionCheck check) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", check.reportId());
        detail.put("authorId", check.authorId());
        detail.put("resolvedAt", Json.time(check.resolvedAt()));
        events.publish(CHECK_DUE, detail);
        loop.announced(check);
    }

    /** The report's resolution check, for its author and its operator. */
    public ResolutionCheck check(Caller caller, String reportId) {
        Report report = report(reportId);
        if (!caller.id().equals(report.authorId()) && !operates(caller, report.organisationId())) {
            throw DomainError.forbidden("only the report's author and its operator see its resolution check");
        }
        return loop.check(reportId).orElseThrow(() -> DomainError.notFound("this report has no resolution check"));
    }

    /** The author answers the due check, once; "no" reopens the report with the answer in its history. */
    public ResolutionCheck answer(Caller caller, String reportId, CheckAnswer a) {
        new Validation().require("answer", a.answer()).text("comment", a.comment(), 1, 1000, false).throwIfInvalid();
        Report report = report(reportId);
        if (!caller.id().equals(report.authorId())) {
            throw DomainError.forbidden("only the report's author answers its resolution check");
        }
        ResolutionCheck check = loop.check(reportId).filter(c -> c.state() == ResolutionCheck.State.DUE)
                .orElseThrow(() -> DomainError.ruleViolated("no resolution check of this report is waiting for an answer"));
        Instant now = clock.instant();
        String comment = a.comment() == null ? null : a.comment().strip();
        ResolutionCheck answered = new ResolutionCheck(check.reportId(), check.authorId(), check.resolvedAt(),
                ResolutionCheck.State.ANSWERED, check.dueAt(), a.answer(), comment, now);
        if (a.answer() != ResolutionCheck.Answer.NO) {
            if (!loop.answer(check, a.answer(), comment, now)) {
                throw DomainError.conflict("this resolution check was answered meanwhile");
            }
            return answered;
        }
        if (report.status() != ReportStatus.RESOLVED) {
            throw DomainError.ruleViolated("the report is no longer resolved");
        }
        StatusChange step = new StatusChange(now, caller.id(), StatusChange.RESIDENT, ReportStatus.RESOLVED, ReportStatus.REOPENED,
                comment, "resolution check: the author says it is not fixed");
        if (!loop.answerNoAndReopen(report, check, comment, step)) {
            throw DomainError.conflict("this resolution check was answered, or the report moved, meanwhile");
        }
        statusChanged(report, step, List.of());
        return answered;
    }

    // ------------------------------------------------------------------ reopen requests

    /** A resident asks to reopen a resolved report, with a reason; one pending request per person and report. */
    public ReopenRequest requestReopen(Caller caller, String reportId, NewReopenRequest r) {
        caller.requireAny(Role.RESIDENT);
        new Validation().text("reason", r.reason(), 10, 480, true).throwIfInvalid();
        Report report = report(reportId);
        if (report.status() != ReportStatus.RESOLVED) {
            throw DomainError.ruleViolated("only a resolved report can be reopened");
        }
        Instant now = clock.instant();
        ReopenRequest request = new ReopenRequest(reportId, report.organisationId(), caller.id(), r.reason().strip(),
                ReopenRequest.State.PENDING, now, null, null, null);
        if (!loop.request(request)) {
            if (loop.request(reportId, caller.id()).filter(q -> q.state() == ReopenRequest.State.PENDING).isPresent()) {
                throw DomainError.conflict("you already asked to reopen this report; your request is waiting for an answer");
            }
            throw DomainError.ruleViolated("only a resolved report can be reopened");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", reportId);
        detail.put("organisationId", report.organisationId());
        detail.put("requestedAt", Json.time(now));
        publish(REOPEN_REQUESTED, detail);
        return request;
    }

    /** The report's reopen requests: who asked and who answered only for its operator (and each requester's own). */
    public List<ReopenRequest> requests(Caller caller, String reportId) {
        Report report = report(reportId);
        boolean operator = operates(caller, report.organisationId());
        return loop.requests(reportId).stream()
                .map(q -> operator || caller.id().equals(q.requesterId()) ? q : q.withoutActors()).toList();
    }

    /** The organisation's pending reopen requests, its operator's queue. */
    public Page<ReopenRequest> pending(Caller caller, String organisationId, int limit, Optional<String> token) {
        if (!operates(caller, organisationId)) {
            throw DomainError.forbidden("only the organisation's providers and agents list its reopen requests");
        }
        return loop.pending(organisationId, limit, token);
    }

    /** The operator accepts (the report reopens, the request's reason in its history) or refuses with a public reason. */
    public ReopenRequest decide(Caller caller, String reportId, String requesterId, ReopenDecision d) {
        new Validation().require("decision", d.decision())
                .text("reason", d.reason(), 3, 1000, d.decision() == Decision.REFUSE).throwIfInvalid();
        Report report = report(reportId);
        if (!operates(caller, report.organisationId())) {
            throw DomainError.forbidden("only the operating organisation's members and agents answer a reopen request");
        }
        ReopenRequest request = loop.request(reportId, requesterId)
                .orElseThrow(() -> DomainError.notFound("no such reopen request"));
        if (request.state() != ReopenRequest.State.PENDING) {
            throw DomainError.ruleViolated("this reopen request was answered already");
        }
        Instant now = clock.instant();
        String answer = d.reason() == null ? null : d.reason().strip();
        if (d.decision() == Decision.REFUSE) {
            if (!loop.refuse(request, caller.id(), answer, now)) {
                throw DomainError.conflict("this reopen request was answered meanwhile");
            }
            return answered(request, ReopenRequest.State.REFUSED, caller, answer, now);
        }
        if (report.status().open()) {
            // Reopened meanwhile (another request, or its author's answer): the request is granted as it stands.
            if (!loop.accept(request, caller.id(), now)) {
                throw DomainError.conflict("this reopen request was answered meanwhile");
            }
            return answered(request, ReopenRequest.State.ACCEPTED, caller, answer, now);
        }
        if (!report.status().reopenable()) {
            throw DomainError.ruleViolated("a report that is " + report.status().name().toLowerCase() + " cannot be reopened");
        }
        StatusChange step = new StatusChange(now, caller.id(), caller.hasAny(Role.AGENT, Role.ADMIN) ? StatusChange.AGENT
                : StatusChange.OPERATOR, ReportStatus.RESOLVED, ReportStatus.REOPENED, answer, "reopen request: " + request.reason());
        ReopenRequest accepted = answered(request, ReopenRequest.State.ACCEPTED, caller, answer, now);
        if (!loop.acceptAndReopen(report, accepted, step)) {
            throw DomainError.conflict("this reopen request was answered, or the report moved, meanwhile");
        }
        // The resident who asked is told too (their request granted), with the author and the followers.
        statusChanged(report, step, List.of(request.requesterId()));
        return accepted;
    }

    private static ReopenRequest answered(ReopenRequest q, ReopenRequest.State state, Caller by, String answer, Instant at) {
        return new ReopenRequest(q.reportId(), q.organisationId(), q.requesterId(), q.reason(), state, q.requestedAt(), by.id(),
                answer, at);
    }

    // ------------------------------------------------------------------ events

    /**
     * {@value #STATUS_CHANGED}: the same event as the agents' workflow publishes
     * ({@link PublishedReportEvents}): the report's author and followers, and {@code alsoTell},
     * minus whoever made the change.
     */
    private void statusChanged(Report report, StatusChange step, List<String> alsoTell) {
        statusEvents.statusChanged(report, step, alsoTell);
    }

    /** Moves are told to the report's followers too, as {@code followers} lists them (the workflow's). */
    public LoopService followedBy(PublishedReportEvents.Followers followers) {
        this.statusEvents = new PublishedReportEvents(events, followers);
        return this;
    }

    /**
     * After the committed write: a bus that refuses is logged and counted (an alarm watches
     * EventsUnpublished), and the request still succeeds, for its write stands and a retry would
     * only meet a conflict. See docs/decisions.md.
     */
    private void publish(String detailType, Map<String, Object> detail) {
        try {
            events.publish(detailType, detail);
        } catch (RuntimeException e) {
            Observability.count("EventsUnpublished");
            LOG.error("could not publish {} for report {}", detailType, detail.get("reportId"), e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Report report(String id) {
        return reports.find(id).orElseThrow(() -> DomainError.notFound("no such report"));
    }

    /** Agents and admins, or a provider of that organisation (as ReportService decides). */
    private static boolean operates(Caller caller, String organisationId) {
        return caller.hasAny(Role.AGENT, Role.ADMIN) || caller.has(Role.PROVIDER) && caller.memberOf(organisationId);
    }
}
