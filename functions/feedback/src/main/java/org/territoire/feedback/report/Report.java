package org.territoire.feedback.report;

import java.time.Instant;

/** A problem a resident reported about a service, routed to the organisation that operates it. */
public record Report(String id, String serviceId, String organisationId, String authorId, String description,
                     Double latitude, Double longitude, String address, ContactPreference contactPreference,
                     ReportStatus status, String duplicateOf, long followers, Instant createdAt, Instant updatedAt) {

    public enum ContactPreference { NONE, EMAIL, PHONE }

    public Report withStatus(ReportStatus next, String duplicate, Instant at) {
        return new Report(id, serviceId, organisationId, authorId, description, latitude, longitude, address, contactPreference,
                next, duplicate, followers, createdAt, at);
    }
}
