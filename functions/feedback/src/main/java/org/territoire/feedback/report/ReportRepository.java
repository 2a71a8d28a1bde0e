package org.territoire.feedback.report;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.territoire.shared.page.Page;

/** Reports, their history and followers. */
public interface ReportRepository {
    /** Stores a new report with its first history step. */
    void create(Report report, StatusChange first);

    /** Moves the report if it still has {@code change.from()}, with the history step, in one transaction; false otherwise. */
    boolean changeStatus(Report report, StatusChange change, String duplicateOf);

    /** Adds a follower once per person, counting them; false when already following. */
    boolean follow(String reportId, String userId);

    Optional<Report> find(String id);

    List<StatusChange> history(String id);

    Page<Report> byAuthor(String authorId, int limit, Optional<String> token);

    Page<Report> byOrganisation(String organisationId, ReportStatus status, int limit, Optional<String> token);

    /** Reports in the box with one of the statuses, a page at a time. */
    Page<Report> inArea(ReportService.Area area, Set<ReportStatus> statuses, int limit, Optional<String> token);

    /** Reports filed in [from, to), newest first, of the given services (all when empty) and statuses, at most {@code max}. */
    List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max);

    /** The organisation's reports in the given statuses (the open ones of one operator are few). */
    List<Report> openOf(String organisationId);
}
