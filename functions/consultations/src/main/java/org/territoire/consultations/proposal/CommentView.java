package org.territoire.consultations.proposal;

import java.time.Instant;

/** A comment as the API shows it: its author and the reason it was hidden for insiders only. */
public record CommentView(String id, String proposalId, String authorId, String text, long flags, boolean hidden,
                          String hiddenReason, Instant createdAt) {

    static CommentView of(Comment k, boolean insider) {
        return new CommentView(k.id(), k.proposalId(), insider ? k.authorId() : null, k.text(), k.flags(), k.hidden(),
                insider ? k.hiddenReason() : null, k.createdAt());
    }
}
