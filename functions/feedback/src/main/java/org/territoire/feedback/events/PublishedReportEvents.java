package org.territoire.feedback.events;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportEvents;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;

/**
 * The report events on the bus ({@code territoire.feedback}). Published after the committed
 * write: when the bus still refuses after the SDK's retries, the write stands (the operator's
 * move happened); the function's bus is an {@link org.territoire.shared.events.AfterCommit} that
 * keeps the event in the table's outbox for the sweep, and what gets past it is counted as
 * {@code EventsUnpublished} (alarmed) and logged with its ids only (docs/decisions.md, "Domain
 * events after the write").
 */
public final class PublishedReportEvents implements ReportEvents {
    private static final Logger LOG = LoggerFactory.getLogger(PublishedReportEvents.class);

    /** The followers of a report (account ids). */
    public interface Followers {
        List<String> of(String reportId);
    }

    private final DomainEvents bus;
    private final Followers followers;

    public PublishedReportEvents(DomainEvents bus, Followers followers) {
        this.bus = bus;
        this.followers = followers;
    }

    @Override
    public void routed(Report report) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", report.id());
        detail.put("organisationId", report.organisationId());
        detail.put("routedAt", Json.time(report.createdAt()));
        publish("Report Routed", detail);
    }

    @Override
    public void statusChanged(Report report, StatusChange change) {
        statusChanged(report, change, List.of());
    }

    /**
     * Every move's one event, the agents' workflow's and the closing loop's alike: told to the
     * author and the followers (and {@code alsoTell}), each once, minus whoever made the change
     * and any author that is no account (an Open311 client's, an erased one's).
     */
    @Override
    public void statusChanged(Report report, StatusChange change, java.util.Collection<String> alsoTell) {
        Set<String> recipients = new LinkedHashSet<>();
        if (isAccount(report.authorId())) {
            recipients.add(report.authorId());
        }
        recipients.addAll(followers.of(report.id()));
        recipients.addAll(alsoTell);
        recipients.remove(change.actorId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", report.id());
        detail.put("status", change.to().name());
        detail.put("previousStatus", change.from() == null ? null : change.from().name());
        detail.put("publicNote", change.note());
        detail.put("changedAt", Json.time(change.at()));
        detail.put("recipients", List.copyOf(recipients));
        publish("Report Status Changed", detail);
    }

    /** An account id, as opposed to an Open311 client's author id or an erased author's placeholder. */
    public static boolean isAccount(String authorId) {
        return authorId != null && !authorId.startsWith("open311:")
                && !org.territoire.shared.accounts.Erasures.FORMER_RESIDENT.equals(authorId);
    }

    private void publish(String type, Map<String, Object> detail) {
        try {
            bus.publish(type, detail);
        } catch (RuntimeException e) {
            Observability.count("EventsUnpublished");
            LOG.error("the bus refused {} of report {}: {}", type, detail.get("reportId"), e.toString());
        }
    }
}
