package org.territoire.consultations.proposal;

import java.time.Instant;

/**
 * A proposal as the API shows it. Its author and, once hidden, the moderator's reason are
 * shown to insiders only (the author and agents): others see the idea, not who had it. Which
 * agent gave the official answer is shown to agents only. {@code supportedByMe} says whether the
 * caller supports it (their own support only, never who else does); absent where there is no caller
 * to ask for, as in results.
 */
public record ProposalView(String consultationId, String id, String authorId, String title, String body, long supports,
                           long comments, long flags, boolean hidden, String hiddenReason, AnswerView answer,
                           Instant createdAt, Instant updatedAt, Boolean supportedByMe) {

    ProposalView supportedByMe(boolean supported) {
        return new ProposalView(consultationId, id, authorId, title, body, supports, comments, flags, hidden, hiddenReason, answer,
                createdAt, updatedAt, supported);
    }

    /** The authority's answer: what it decided, why, when; {@code by} for agents only. */
    public record AnswerView(Proposal.AnswerStatus status, String text, Instant at, String by) {
    }

    static ProposalView of(Proposal p, boolean insider, boolean agent) {
        Proposal.OfficialAnswer a = p.answer();
        return new ProposalView(p.consultationId(), p.id(), insider ? p.authorId() : null, p.title(), p.body(), p.supports(),
                p.comments(), p.flags(), p.hidden(), insider ? p.hiddenReason() : null,
                a == null ? null : new AnswerView(a.status(), a.text(), a.at(), agent ? a.by() : null), p.createdAt(), p.updatedAt(), null);
    }
}
