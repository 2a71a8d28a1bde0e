package org.territoire.consultations.proposal;

import java.time.Instant;

/**
 * A proposal as the API shows it. Its author and, once hidden, the moderator's reason are
 * shown to insiders only (the author and agents): others see the idea, not who had it.
 */
public record ProposalView(String consultationId, String id, String authorId, String title, String body, long supports,
                           long comments, long flags, boolean hidden, String hiddenReason, Proposal.OfficialAnswer answer,
                           Instant createdAt, Instant updatedAt) {

    static ProposalView of(Proposal p, boolean insider) {
        return new ProposalView(p.consultationId(), p.id(), insider ? p.authorId() : null, p.title(), p.body(), p.supports(),
                p.comments(), p.flags(), p.hidden(), insider ? p.hiddenReason() : null, p.answer(), p.createdAt(), p.updatedAt());
    }
}
