package org.territoire.feedback;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import org.territoire.feedback.catalogue.Location;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.feedback.evaluation.EvaluationService;
import org.territoire.feedback.evaluation.Summary;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.StatusChange;

/**
 * What the feedback routes answer: records of the API's own shape, built from the domain's,
 * so that a field added to a domain record for the store or a rule never reaches a client by
 * accident. The services already strip what a caller may not see (authors, contacts, actors);
 * these records carry what is left, field by field, as {@code docs/api.md} and
 * {@code api/openapi.yaml} describe it.
 */
final class Views {
    private Views() {
    }

    record ServiceView(String id, String name, String description, String kind, String category, String organisationId,
                       List<String> districts, Location location, boolean experimental, Instant createdAt, String createdBy,
                       Instant retiredAt) {
    }

    /** {@code GET /services/{id}}: the service, with its summary beside its own fields. */
    record ServiceDetailsView(@JsonUnwrapped ServiceView service, Summary summary) {
    }

    record ContactView(String email, String phone, String firstName, String lastName, Instant keptUntil) {
    }

    record ReportView(String id, String serviceId, String organisationId, String authorId, String description, Double latitude,
                      Double longitude, String address, String contactPreference, String status, String duplicateOf,
                      long followers, Instant createdAt, Instant updatedAt, String mediaUrl, ContactView contact) {
    }

    record StatusChangeView(Instant at, String actorId, String actorRole, String from, String to, String note, String reason) {
    }

    /** {@code GET /reports/{id}}: the report, its history and its published photos. */
    record ReportDetailsView(ReportView report, List<StatusChangeView> history,
                             List<org.territoire.feedback.photo.PhotoService.PhotoView> photos) {
    }

    record NearbyView(double radiusMetres, List<ReportView> items) {
    }

    static ServiceView of(TerritoryService s) {
        return new ServiceView(s.id(), s.name(), s.description(), s.kind().name(), s.category(), s.organisationId(), s.districts(),
                s.location(), s.experimental(), s.createdAt(), s.createdBy(), s.retiredAt());
    }

    static ServiceDetailsView of(EvaluationService.ServiceDetails d) {
        return new ServiceDetailsView(of(d.service()), d.summary());
    }

    static ReportView of(Report r) {
        Report.Contact c = r.contact();
        return new ReportView(r.id(), r.serviceId(), r.organisationId(), r.authorId(), r.description(), r.latitude(), r.longitude(),
                r.address(), r.contactPreference() == null ? null : r.contactPreference().name(), r.status().name(), r.duplicateOf(),
                r.followers(), r.createdAt(), r.updatedAt(), r.mediaUrl(),
                c == null ? null : new ContactView(c.email(), c.phone(), c.firstName(), c.lastName(), c.keptUntil()));
    }

    static ReportDetailsView of(ReportService.ReportView v, List<org.territoire.feedback.photo.PhotoService.PhotoView> photos) {
        return new ReportDetailsView(of(v.report()), v.history().stream().map(Views::of).toList(), photos);
    }

    static StatusChangeView of(StatusChange c) {
        return new StatusChangeView(c.at(), c.actorId(), c.actorRole(), c.from() == null ? null : c.from().name(),
                c.to().name(), c.note(), c.reason());
    }

    static NearbyView of(ReportService.Nearby n) {
        return new NearbyView(n.radiusMetres(), n.items().stream().map(Views::of).toList());
    }
}
