package org.territoire.feedback.evaluation;

import java.time.Instant;

/**
 * A person's evaluation of a service: one per person per service. A hidden evaluation stays
 * stored and visible to its author with the reason, but leaves the public list and the summary.
 */
public record Evaluation(String serviceId, String authorId, int rating, String comment, Instant createdAt,
                         Instant updatedAt, String reply, Instant repliedAt, boolean hidden, String hiddenReason) {
}
