package org.territoire.consultations.proposal;

import java.time.Instant;

/** A comment on a proposal; hidden like a proposal, its author seeing why. */
public record Comment(String id, String proposalId, String authorId, String text, long flags, boolean hidden,
                      String hiddenReason, Instant createdAt) {
}
