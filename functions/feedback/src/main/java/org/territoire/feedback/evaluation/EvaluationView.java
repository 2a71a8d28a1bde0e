package org.territoire.feedback.evaluation;

import java.time.Instant;

/**
 * An evaluation as the API shows it: its author's per-service {@code handle}, never the
 * author's id; {@code mine} tells the caller which one is theirs. Operators and agents address
 * an evaluation by its handle (the reply and hide routes).
 */
public record EvaluationView(String serviceId, String handle, boolean mine, int rating, String comment, Instant createdAt,
                             Instant updatedAt, String reply, Instant repliedAt, boolean hidden, String hiddenReason) {
    static EvaluationView of(Evaluation e, String callerId) {
        return new EvaluationView(e.serviceId(), e.handle(), e.authorId().equals(callerId), e.rating(), e.comment(),
                e.createdAt(), e.updatedAt(), e.reply(), e.repliedAt(), e.hidden(), e.hiddenReason());
    }
}
