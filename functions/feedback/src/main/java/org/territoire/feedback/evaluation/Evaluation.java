package org.territoire.feedback.evaluation;

import java.time.Instant;

/**
 * A person's evaluation of a service: one per person per service. A hidden evaluation stays
 * stored and visible to its author with the reason, but leaves the public list and the summary.
 * {@code handle} is the author's pseudonym within this service ({@link Pseudonyms}); the
 * author's id never leaves the function ({@link EvaluationView}).
 */
public record Evaluation(String serviceId, String authorId, String handle, int rating, String comment, Instant createdAt,
                         Instant updatedAt, String reply, Instant repliedAt, boolean hidden, String hiddenReason) {
}
