package org.territoire.consultations.proposal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.shared.page.Page;

/** Proposals, their supports, comments and flags. Writes that need the consultation open are conditioned on it. */
public interface ProposalRepository {
    /** Stores a proposal if the consultation is open at {@code now}. */
    boolean submit(Consultation c, Proposal p, Instant now);

    /** Replaces title and body if the author asks, nobody supports it yet, and the consultation is open. */
    boolean edit(Consultation c, String proposalId, String authorId, String title, String body, Instant now);

    /** One support per pseudonym, counted in the same transaction; false when already supported, hidden or closed. */
    boolean support(Consultation c, String proposalId, String pseudonym, Instant now);

    /** As {@link #support(Consultation, String, String, Instant)}, refused (Forbidden) when the account was erased meanwhile. */
    default boolean support(Consultation c, String accountId, String proposalId, String pseudonym, Instant now) {
        return support(c, proposalId, pseudonym, now);
    }

    /** Withdraws a support and uncounts it in one transaction; false when there was none or the consultation closed. */
    boolean unsupport(Consultation c, String proposalId, String pseudonym, Instant now);

    boolean comment(Consultation c, Comment comment, Instant now);

    /** One flag per pseudonym per target (a proposal, or a comment when {@code commentId} is set), counted. */
    boolean flag(String consultationId, String proposalId, String commentId, String pseudonym);

    /** Hides a proposal or a comment; false when there is no such target. */
    boolean hide(String consultationId, String proposalId, String commentId, String reason, String agentId, Instant at);

    boolean answer(String consultationId, String proposalId, Proposal.OfficialAnswer answer);

    Optional<Proposal> find(String consultationId, String proposalId);

    /** Every proposal of the consultation, hidden ones included. */
    List<Proposal> all(String consultationId);

    /** Which of these proposals the pseudonym supports: one batch read of its support items, never one read per proposal. */
    Set<String> supported(String consultationId, String pseudonym, Collection<String> proposalIds);

    Optional<Comment> comment(String consultationId, String proposalId, String commentId);

    /** A proposal's comments, oldest first, a page at a time. */
    Page<Comment> comments(String consultationId, String proposalId, int limit, Optional<String> token);
}
