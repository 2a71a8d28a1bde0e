package org.territoire.feedback.report;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import org.territoire.shared.page.Page;

/** Reports, their history and followers. */
public interface ReportRepository {
    /** Stores a new report with its first history step, and its reporter's contact if any. */
    void create(Report report, StatusChange first);

    /**
     * Moves the report if it still has {@code change.from()}, with the history step, in one
     * transaction; false otherwise. A non-null {@code contactExpiresAt} sets, in the same
     * transaction, when the report's contact is dropped (the report must have one).
     */
    boolean changeStatus(Report report, StatusChange change, String duplicateOf, Instant contactExpiresAt);

    /** Adds a follower once per person, counting them; false when already following. */
    boolean follow(String reportId, String userId);

    /** The report, with its contact unless none was given or it expired. */
    Optional<Report> find(String id);

    List<StatusChange> history(String id);

    /** Lists carry no contact: it is read with the report, one at a time. */
    Page<Report> byAuthor(String authorId, int limit, Optional<String> token);

    Page<Report> byOrganisation(String organisationId, ReportStatus status, int limit, Optional<String> token);

    /** Reports in the box with one of the statuses, a page at a time. */
    Page<Report> inArea(ReportService.Area area, Set<ReportStatus> statuses, int limit, Optional<String> token);

    /** Reports filed in [from, to), newest first, of the given services (all when empty) and statuses, at most {@code max}. */
    List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max);

    /** The organisation's reports in the given statuses (the open ones of one operator are few). */
    List<Report> openOf(String organisationId);
}
