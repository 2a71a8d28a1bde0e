package org.territoire.feedback.loop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.feedback.report.InMemoryReportRepository;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.page.Page;

/**
 * Checks and requests in memory, for unit tests, with the table's conditions; the moves that
 * reopen a report are atomic with it (one lock over both stores, as the transaction is one).
 */
final class InMemoryLoopRepository implements LoopRepository {
    private final InMemoryReportRepository reports;
    final Map<String, ResolutionCheck> checks = new ConcurrentHashMap<>();
    /** The checks marked due whose event is not yet confirmed (the adapter's CHECKS#UNANNOUNCED). */
    final Set<String> unannounced = ConcurrentHashMap.newKeySet();
    final Map<String, ReopenRequest> requests = new ConcurrentHashMap<>();

    InMemoryLoopRepository(InMemoryReportRepository reports) {
        this.reports = reports;
    }

    /** What the adapter writes with a resolution. */
    void scheduled(Report report, Instant resolvedAt) {
        checks.put(report.id(), new ResolutionCheck(report.id(), report.authorId(), resolvedAt, ResolutionCheck.State.PENDING,
                null, null, null, null));
    }

    @Override
    public List<ResolutionCheck> pendingResolvedBefore(Instant cutoff, int limit) {
        return checks.values().stream().filter(c -> c.state() == ResolutionCheck.State.PENDING && c.resolvedAt().isBefore(cutoff))
                .sorted(Comparator.comparing(ResolutionCheck::resolvedAt)).limit(limit).toList();
    }

    @Override
    public List<ResolutionCheck> dueUnannounced(Instant before, int limit) {
        return unannounced.stream().map(checks::get).filter(c -> c != null && c.dueAt().isBefore(before)).limit(limit).toList();
    }

    @Override
    public boolean markDue(ResolutionCheck c, Instant at) {
        synchronized (reports) {
            ResolutionCheck now = checks.get(c.reportId());
            if (now == null || now.state() != ResolutionCheck.State.PENDING || !now.resolvedAt().equals(c.resolvedAt())) {
                return false;
            }
            checks.put(c.reportId(), new ResolutionCheck(c.reportId(), c.authorId(), c.resolvedAt(), ResolutionCheck.State.DUE, at,
                    null, null, null));
            unannounced.add(c.reportId());
            return true;
        }
    }

    @Override
    public void announced(ResolutionCheck c) {
        unannounced.remove(c.reportId());
    }

    @Override
    public Optional<ResolutionCheck> check(String reportId) {
        return Optional.ofNullable(checks.get(reportId));
    }

    @Override
    public boolean answer(ResolutionCheck c, ResolutionCheck.Answer answer, String comment, Instant at) {
        synchronized (reports) {
            return answered(c, answer, comment, at);
        }
    }

    private boolean answered(ResolutionCheck c, ResolutionCheck.Answer answer, String comment, Instant at) {
        ResolutionCheck now = checks.get(c.reportId());
        if (now == null || now.state() != ResolutionCheck.State.DUE || !now.resolvedAt().equals(c.resolvedAt())) {
            return false;
        }
        checks.put(c.reportId(), new ResolutionCheck(c.reportId(), c.authorId(), c.resolvedAt(), ResolutionCheck.State.ANSWERED,
                now.dueAt(), answer, comment, at));
        unannounced.remove(c.reportId());
        return true;
    }

    @Override
    public boolean answerNoAndReopen(Report report, ResolutionCheck c, String comment, StatusChange step) {
        synchronized (reports) {
            ResolutionCheck now = checks.get(c.reportId());
            if (now == null || now.state() != ResolutionCheck.State.DUE || reports.find(report.id()).orElseThrow().status() != step.from()) {
                return false;
            }
            answered(c, ResolutionCheck.Answer.NO, comment, step.at());
            return reports.changeStatus(report, step, null, null);
        }
    }

    @Override
    public boolean request(ReopenRequest q) {
        synchronized (reports) {
            ReopenRequest now = requests.get(key(q.reportId(), q.requesterId()));
            if (now != null && now.state() == ReopenRequest.State.PENDING
                    || reports.find(q.reportId()).orElseThrow().status() != ReportStatus.RESOLVED) {
                return false;
            }
            requests.put(key(q.reportId(), q.requesterId()), q);
            return true;
        }
    }

    @Override
    public Optional<ReopenRequest> request(String reportId, String requesterId) {
        return Optional.ofNullable(requests.get(key(reportId, requesterId)));
    }

    @Override
    public List<ReopenRequest> requests(String reportId) {
        return requests.values().stream().filter(q -> q.reportId().equals(reportId))
                .sorted(Comparator.comparing(ReopenRequest::requestedAt)).toList();
    }

    @Override
    public Page<ReopenRequest> pending(String organisationId, int limit, Optional<String> token) {
        return new Page<>(requests.values().stream().filter(q -> q.organisationId().equals(organisationId)
                && q.state() == ReopenRequest.State.PENDING).sorted(Comparator.comparing(ReopenRequest::requestedAt)).limit(limit)
                .toList(), null);
    }

    @Override
    public boolean refuse(ReopenRequest q, String answeredBy, String reason, Instant at) {
        synchronized (reports) {
            return decided(q, ReopenRequest.State.REFUSED, answeredBy, reason, at);
        }
    }

    @Override
    public boolean accept(ReopenRequest q, String answeredBy, Instant at) {
        synchronized (reports) {
            return decided(q, ReopenRequest.State.ACCEPTED, answeredBy, null, at);
        }
    }

    @Override
    public boolean acceptAndReopen(Report report, ReopenRequest q, StatusChange step) {
        synchronized (reports) {
            ReopenRequest now = requests.get(key(q.reportId(), q.requesterId()));
            if (now == null || now.state() != ReopenRequest.State.PENDING
                    || reports.find(report.id()).orElseThrow().status() != step.from()) {
                return false;
            }
            decided(q, ReopenRequest.State.ACCEPTED, q.answeredBy(), q.answer(), step.at());
            checks.remove(report.id());
            unannounced.remove(report.id());
            return reports.changeStatus(report, step, null, null);
        }
    }

    private boolean decided(ReopenRequest q, ReopenRequest.State state, String by, String answer, Instant at) {
        String key = key(q.reportId(), q.requesterId());
        ReopenRequest now = requests.get(key);
        if (now == null || now.state() != ReopenRequest.State.PENDING) {
            return false;
        }
        requests.put(key, new ReopenRequest(now.reportId(), now.organisationId(), now.requesterId(), now.reason(), state,
                now.requestedAt(), by, answer, at));
        return true;
    }

    private static String key(String reportId, String requesterId) {
        return reportId + "|" + requesterId;
    }

    /** The timings the adapter reads from the report items (stamped by the status moves), taken here from the histories. */
    @Override
    public List<ReportStats.Timing> filedBetween(Instant since, Instant until) {
        List<ReportStats.Timing> out = new ArrayList<>();
        for (Report r : reports.filedBetween(since, until.plusMillis(1), Set.of(), Set.of(), Integer.MAX_VALUE)) {
            List<StatusChange> steps = reports.history(r.id());
            Instant acknowledged = steps.stream().filter(c -> c.from() == ReportStatus.OPEN).map(StatusChange::at).findFirst().orElse(null);
            Instant resolved = steps.stream().filter(c -> c.to() == ReportStatus.RESOLVED).map(StatusChange::at).findFirst().orElse(null);
            long reopenings = steps.stream().filter(c -> c.from() == ReportStatus.RESOLVED && c.to() == ReportStatus.REOPENED).count();
            out.add(new ReportStats.Timing(r.serviceId(), r.organisationId(), r.status(), r.createdAt(), acknowledged, resolved, reopenings));
        }
        return out;
    }

    volatile ReportStats stats;

    @Override
    public void saveStats(ReportStats stats) {
        this.stats = stats;
    }

    @Override
    public Optional<ReportStats> stats() {
        return Optional.ofNullable(stats);
    }
}
