package org.territoire.feedback.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.page.Page;

/**
 * Reports in memory, for unit tests, with the table's conditions: a move only from the status
 * it read, a follower once. The clock says when a contact has expired, as the adapter's does.
 */
public final class InMemoryReportRepository implements ReportRepository {
    final Map<String, Report> reports = new ConcurrentHashMap<>();
    final Map<String, List<StatusChange>> histories = new ConcurrentHashMap<>();
    final Map<String, Set<String>> followers = new ConcurrentHashMap<>();
    private final java.time.Clock clock;

    public InMemoryReportRepository(java.time.Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void create(Report report, StatusChange first) {
        if (reports.putIfAbsent(report.id(), report) != null) {
            throw new IllegalStateException("report id taken");
        }
        histories.put(report.id(), new ArrayList<>(List.of(first)));
    }

    @Override
    public synchronized boolean changeStatus(Report report, StatusChange change, String duplicateOf, Instant contactExpiresAt) {
        Report now = reports.get(report.id());
        if (now == null || now.status() != change.from()) {
            return false;
        }
        reports.put(report.id(), now.withStatus(change.to(), duplicateOf, change.at(), contactExpiresAt));
        histories.get(report.id()).add(change);
        return true;
    }

    /** Another operator moves the report first, as a concurrent request would. */
    public void moveBehindTheServicesBack(String id, ReportStatus to) {
        Report now = reports.get(id);
        reports.put(id, now.withStatus(to, null, now.updatedAt(), null));
    }

    @Override
    public synchronized boolean follow(String reportId, String userId) {
        boolean added = followers.computeIfAbsent(reportId, k -> ConcurrentHashMap.newKeySet()).add(userId);
        if (added) {
            Report r = reports.get(reportId);
            reports.put(reportId, new Report(r.id(), r.serviceId(), r.organisationId(), r.authorId(), r.description(), r.latitude(),
                    r.longitude(), r.address(), r.contactPreference(), r.status(), r.duplicateOf(), r.followers() + 1, r.createdAt(),
                    r.updatedAt(), r.mediaUrl(), r.contact()));
        }
        return added;
    }

    @Override
    public Optional<Report> find(String id) {
        return Optional.ofNullable(reports.get(id)).map(r -> r.contact() != null && r.contact().keptUntil() != null
                && !r.contact().keptUntil().isAfter(clock.instant()) ? withoutContact(r) : r);
    }

    private static Report withoutContact(Report r) {
        return new Report(r.id(), r.serviceId(), r.organisationId(), r.authorId(), r.description(), r.latitude(), r.longitude(),
                r.address(), r.contactPreference(), r.status(), r.duplicateOf(), r.followers(), r.createdAt(), r.updatedAt(),
                r.mediaUrl(), null);
    }

    @Override
    public List<StatusChange> history(String id) {
        return List.copyOf(histories.getOrDefault(id, List.of()));
    }

    @Override
    public Page<Report> byAuthor(String authorId, int limit, Optional<String> token) {
        return page(reports.values().stream().filter(r -> r.authorId().equals(authorId)).toList(), limit);
    }

    @Override
    public Page<Report> byOrganisation(String organisationId, ReportStatus status, int limit, Optional<String> token) {
        return page(reports.values().stream().filter(r -> r.organisationId().equals(organisationId) && r.status() == status).toList(),
                limit);
    }

    @Override
    public Page<Report> inArea(ReportService.Area area, Set<ReportStatus> statuses, int limit, Optional<String> token) {
        return page(reports.values().stream().filter(r -> statuses.contains(r.status()) && r.latitude() != null
                && r.latitude() >= area.south() && r.latitude() <= area.north()
                && r.longitude() >= area.west() && r.longitude() <= area.east()).toList(), limit);
    }

    @Override
    public List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max) {
        return reports.values().stream().filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
                .filter(r -> serviceIds.isEmpty() || serviceIds.contains(r.serviceId()))
                .filter(r -> statuses.isEmpty() || statuses.contains(r.status()))
                .sorted(Comparator.comparing(Report::createdAt).reversed()).limit(max).map(InMemoryReportRepository::withoutContact).toList();
    }

    @Override
    public List<Report> openOf(String organisationId) {
        return reports.values().stream().filter(r -> r.organisationId().equals(organisationId) && r.status().open())
                .map(InMemoryReportRepository::withoutContact).toList();
    }

    private static Page<Report> page(List<Report> all, int limit) {
        return new Page<>(all.stream().sorted(Comparator.comparing(Report::createdAt).reversed()).limit(limit)
                .map(InMemoryReportRepository::withoutContact).toList(), null);
    }
}
