package org.territoire.consultations.proposal;

import java.time.Instant;

/**
 * A resident's idea in a proposals consultation. {@code hidden} content stays stored: it leaves
 * lists and results, and its author sees why ({@code hiddenReason}).
 */
public record Proposal(String consultationId, String id, String authorId, String title, String body, long supports,
                       long comments, long flags, boolean hidden, String hiddenReason, OfficialAnswer answer,
                       Instant createdAt, Instant updatedAt) {

    public enum AnswerStatus { ACCEPTED, REJECTED, UNDER_EVALUATION }

    public record OfficialAnswer(AnswerStatus status, String text, Instant at, String by) {
    }
}
