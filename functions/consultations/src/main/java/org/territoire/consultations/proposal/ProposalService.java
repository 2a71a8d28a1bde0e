package org.territoire.consultations.proposal;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.consultations.consultation.Kind;
import org.territoire.consultations.consultation.Phase;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Ideas submitted by residents in scope, supported once per person, commented, flagged by
 * anyone signed in, hidden by agents and answered officially. Supports are counted in the
 * transaction that records them, so counts stay exact under concurrency.
 */
public final class ProposalService {
    /** The body of a proposal. */
    public record ProposalCommand(String title, String body) {
    }

    public record CommentCommand(String text) {
    }

    public record HideCommand(String reason) {
    }

    public record AnswerCommand(Proposal.AnswerStatus status, String text) {
    }

    /** A proposal as listed: {@code needsAnswer} when it reached the support threshold and has no official answer. */
    public record Listed(ProposalView proposal, boolean needsAnswer, boolean mine) {
    }

    /** The proposals of a consultation, as listed. */
    public record Listing(List<Listed> items) {
    }

    /** The results of a proposals consultation: its visible proposals, most supported first, with their answers. */
    public record Ranking(String consultationId, String title, Phase phase, List<ProposalView> proposals) {
    }

    private final ConsultationService consultations;
    private final ProposalRepository proposals;
    private final Clock clock;

    public ProposalService(ConsultationService consultations, ProposalRepository proposals, Clock clock) {
        this.consultations = consultations;
        this.proposals = proposals;
        this.clock = clock;
    }

    public ProposalView submit(Caller caller, String consultationId, ProposalCommand command) {
        Consultation c = consultations.participable(caller, consultationId, Kind.PROPOSALS);
        validate(command);
        Instant now = clock.instant();
        Proposal p = new Proposal(c.id(), UUID.randomUUID().toString(), caller.id(), command.title().strip(), command.body().strip(),
                0, 0, 0, false, null, null, now, now);
        if (!proposals.submit(c, p, now)) {
            throw DomainError.conflict("the consultation closed at " + c.closesAt());
        }
        return ProposalView.of(p, true, false).supportedByMe(false);
    }

    public ProposalView edit(Caller caller, String consultationId, String proposalId, ProposalCommand command) {
        Consultation c = consultations.participable(caller, consultationId, Kind.PROPOSALS);
        Proposal p = find(c, proposalId);
        if (!p.authorId().equals(caller.id())) {
            throw DomainError.forbidden("only its author edits a proposal");
        }
        validate(command);
        if (!proposals.edit(c, proposalId, caller.id(), command.title().strip(), command.body().strip(), clock.instant())) {
            throw DomainError.conflict("a proposal cannot be edited once someone supports it (or once it is hidden, or closed)");
        }
        // Edited only while nobody supports it, the author included.
        return ProposalView.of(find(c, proposalId), true, false).supportedByMe(false);
    }

    public ProposalView support(Caller caller, String consultationId, String proposalId) {
        Consultation c = consultations.participable(caller, consultationId, Kind.PROPOSALS);
        Proposal p = find(c, proposalId);
        if (p.hidden()) {
            throw DomainError.conflict("this proposal is hidden by moderation");
        }
        if (!proposals.support(c, caller.id(), proposalId, ConsultationService.pseudonym(c.id(), caller.id()), clock.instant())) {
            throw DomainError.conflict("you already support this proposal (or the consultation has just closed)");
        }
        Proposal supported = find(c, proposalId);
        return ProposalView.of(supported, supported.authorId().equals(caller.id()), false).supportedByMe(true);
    }

    public void unsupport(Caller caller, String consultationId, String proposalId) {
        Consultation c = consultations.participable(caller, consultationId, Kind.PROPOSALS);
        find(c, proposalId);
        if (!proposals.unsupport(c, proposalId, ConsultationService.pseudonym(c.id(), caller.id()), clock.instant())) {
            throw DomainError.conflict("you do not support this proposal (or the consultation has just closed)");
        }
    }

    public CommentView comment(Caller caller, String consultationId, String proposalId, CommentCommand command) {
        Consultation c = consultations.participable(caller, consultationId, Kind.PROPOSALS);
        Proposal p = find(c, proposalId);
        if (p.hidden()) {
            throw DomainError.conflict("this proposal is hidden by moderation");
        }
        new Validation().text("text", command.text(), 2, 2000, true).throwIfInvalid();
        Instant now = clock.instant();
        Comment comment = new Comment(String.format("%015d-%s", now.toEpochMilli(), UUID.randomUUID()), proposalId, caller.id(),
                command.text().strip(), 0, false, null, now);
        if (!proposals.comment(c, comment, now)) {
            throw DomainError.conflict("the consultation closed at " + c.closesAt());
        }
        return CommentView.of(comment, true);
    }

    /** Anyone signed in flags a proposal or a comment for the agents' attention, once. */
    public void flag(Caller caller, String consultationId, String proposalId, String commentId) {
        Consultation c = consultations.visible(caller, consultationId);
        find(c, proposalId);
        if (commentId != null && proposals.comment(c.id(), proposalId, commentId).isEmpty()) {
            throw DomainError.notFound("no such comment");
        }
        if (!proposals.flag(c.id(), proposalId, commentId, ConsultationService.pseudonym(c.id(), caller.id()))) {
            throw DomainError.conflict("you have already flagged this");
        }
    }

    public void hide(Caller caller, String consultationId, String proposalId, String commentId, HideCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().text("reason", command.reason(), 3, 500, true).throwIfInvalid();
        if (!proposals.hide(consultationId, proposalId, commentId, command.reason().strip(), caller.id(), clock.instant())) {
            throw DomainError.notFound(commentId == null ? "no such proposal" : "no such comment");
        }
    }

    public ProposalView answer(Caller caller, String consultationId, String proposalId, AnswerCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().require("status", command.status()).text("text", command.text(), 3, 5000, true).throwIfInvalid();
        Consultation c = consultations.visible(caller, consultationId);
        find(c, proposalId);
        if (!proposals.answer(c.id(), proposalId, new Proposal.OfficialAnswer(command.status(), command.text().strip(), clock.instant(),
                caller.id()))) {
            throw DomainError.notFound("no such proposal");
        }
        return ProposalView.of(find(c, proposalId), true, true);
    }

    /** One proposal: hidden ones only to their author (with the reason) and to agents. */
    public ProposalView get(Caller caller, String consultationId, String proposalId) {
        Consultation c = consultations.visible(caller, consultationId);
        Proposal p = find(c, proposalId);
        boolean insider = p.authorId().equals(caller.id()) || caller.hasAny(Role.AGENT, Role.ADMIN);
        if (p.hidden() && !insider) {
            throw DomainError.notFound("no such proposal");
        }
        return ProposalView.of(p, insider, caller.hasAny(Role.AGENT, Role.ADMIN))
                .supportedByMe(!proposals.supported(c.id(), ConsultationService.pseudonym(c.id(), caller.id()), List.of(p.id())).isEmpty());
    }

    /**
     * The proposals, most supported first. Hidden ones are left out, except one's own (with the
     * reason) and, for agents, all of them. {@code needsAnswerOnly} keeps those past the threshold
     * still without an official answer.
     */
    public Listing list(Caller caller, String consultationId, boolean needsAnswerOnly) {
        Consultation c = consultations.visible(caller, consultationId);
        boolean agent = caller.hasAny(Role.AGENT, Role.ADMIN);
        List<Proposal> listed = proposals.all(c.id()).stream().filter(p -> !p.hidden() || agent || p.authorId().equals(caller.id())).toList();
        // The caller's own supports among them, in one batch read (their pseudonym's support items).
        Set<String> supported = listed.isEmpty() ? Set.of()
                : proposals.supported(c.id(), ConsultationService.pseudonym(c.id(), caller.id()), listed.stream().map(Proposal::id).toList());
        return new Listing(listed.stream()
                .map(p -> new Listed(ProposalView.of(p, agent || p.authorId().equals(caller.id()), agent).supportedByMe(supported.contains(p.id())),
                        needsAnswer(c, p), p.authorId().equals(caller.id())))
                .filter(l -> !needsAnswerOnly || l.needsAnswer())
                .sorted(Comparator.comparingLong((Listed l) -> l.proposal().supports()).reversed()
                        .thenComparing(l -> l.proposal().createdAt()))
                .toList());
    }

    /** A proposal's comments, oldest first, a page at a time; hidden ones only for their author and agents. */
    public Page<CommentView> comments(Caller caller, String consultationId, String proposalId, int limit, Optional<String> token) {
        Consultation c = consultations.visible(caller, consultationId);
        Proposal p = find(c, proposalId);
        boolean agent = caller.hasAny(Role.AGENT, Role.ADMIN);
        if (p.hidden() && !agent && !p.authorId().equals(caller.id())) {
            throw DomainError.notFound("no such proposal");
        }
        Page<Comment> page = proposals.comments(c.id(), proposalId, limit, token);
        return new Page<>(page.items().stream()
                .filter(k -> !k.hidden() || agent || k.authorId().equals(caller.id()))
                .map(k -> CommentView.of(k, agent || k.authorId().equals(caller.id())))
                .toList(), page.nextToken());
    }

    /**
     * The results of a proposals consultation whose results the caller may see (see
     * {@link ConsultationService#withVisibleResults}): the visible proposals, most supported
     * first, with their answers, none naming its author.
     */
    public Ranking ranking(Consultation c) {
        return new Ranking(c.id(), c.title(), consultations.phase(c), proposals.all(c.id()).stream().filter(p -> !p.hidden())
                .sorted(Comparator.comparingLong(Proposal::supports).reversed().thenComparing(Proposal::createdAt))
                .map(p -> ProposalView.of(p, false, false)).toList());
    }

    static boolean needsAnswer(Consultation c, Proposal p) {
        return c.supportThreshold() != null && p.supports() >= c.supportThreshold() && p.answer() == null && !p.hidden();
    }

    private Proposal find(Consultation c, String proposalId) {
        return proposals.find(c.id(), proposalId).orElseThrow(() -> DomainError.notFound("no such proposal"));
    }

    private static void validate(ProposalCommand command) {
        new Validation().text("title", command.title(), 5, 200, true).text("body", command.body(), 10, 5000, true).throwIfInvalid();
    }
}
