package org.territoire.feedback.report;

import java.time.Instant;

/**
 * A problem a resident reported about a service, routed to the organisation that operates it.
 * {@code contact} holds what an Open311 client passed on about the reporter; it is personal
 * data, shown only to the author, the operator and agents ({@link #withoutPersonalData()}).
 */
public record Report(String id, String serviceId, String organisationId, String authorId, String description,
                     Double latitude, Double longitude, String address, ContactPreference contactPreference,
                     ReportStatus status, String duplicateOf, long followers, Instant createdAt, Instant updatedAt,
                     String mediaUrl, Contact contact) {

    public enum ContactPreference { NONE, EMAIL, PHONE }

    /**
     * How to reach the reporter, when they came through an Open311 client rather than with an
     * account. Kept while the report is open, then until {@code keptUntil} (the close plus the
     * retention delay); after that it is gone, whether or not DynamoDB has deleted it yet.
     */
    public record Contact(String email, String phone, String firstName, String lastName, Instant keptUntil) {
        public Contact(String email, String phone, String firstName, String lastName) {
            this(email, phone, firstName, lastName, null);
        }

        /** True when the reporter left nothing to reach them by. */
        public boolean empty() {
            return email == null && phone == null && firstName == null && lastName == null;
        }

        public Contact keptUntil(Instant until) {
            return new Contact(email, phone, firstName, lastName, until);
        }
    }

    public Report withStatus(ReportStatus next, String duplicate, Instant at, Instant contactKeptUntil) {
        return new Report(id, serviceId, organisationId, authorId, description, latitude, longitude, address, contactPreference,
                next, duplicate, followers, createdAt, at, mediaUrl,
                contact == null || contactKeptUntil == null ? contact : contact.keptUntil(contactKeptUntil));
    }

    /** The report as anyone may see it: no author, no contact details. */
    public Report withoutPersonalData() {
        return new Report(id, serviceId, organisationId, null, description, latitude, longitude, address, contactPreference,
                status, duplicateOf, followers, createdAt, updatedAt, mediaUrl, null);
    }
}
