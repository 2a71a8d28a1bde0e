package org.territoire.feedback.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Residents' evaluations of the territory's services. Summaries stay exact because every
 * change is one transaction with the summary, conditioned on the rating it replaces; a
 * change that lost a race is re-read and retried, never applied on stale data.
 *
 * <p>Authors appear under a per-service handle ({@link Pseudonyms}), never under their id:
 * the operator replies to, and agents hide, an evaluation named by its handle.
 */
public final class EvaluationService {
    static final int ATTEMPTS = 8;

    /** The body of an evaluation: a rating from 1 to 5 and an optional comment. */
    public record EvaluationCommand(Integer rating, String comment) {
    }

    private final CatalogueService catalogue;
    private final EvaluationRepository evaluations;
    private final Pseudonyms pseudonyms;
    private final Clock clock;

    public EvaluationService(CatalogueService catalogue, EvaluationRepository evaluations, Pseudonyms pseudonyms, Clock clock) {
        this.catalogue = catalogue;
        this.evaluations = evaluations;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    public EvaluationView evaluate(Caller caller, String serviceId, EvaluationCommand c) {
        caller.requireAny(Role.RESIDENT);
        validate(c);
        catalogue.active(serviceId);
        Instant now = clock.instant();
        Evaluation evaluation = new Evaluation(serviceId, caller.id(), pseudonyms.handle(serviceId, caller.id()), c.rating(),
                clean(c.comment()), now, now, null, null, false, null);
        if (!evaluations.add(evaluation)) {
            throw DomainError.conflict("you have already evaluated this service: change it with PUT .../evaluations/mine");
        }
        return EvaluationView.of(evaluation, caller.id());
    }

    public EvaluationView change(Caller caller, String serviceId, EvaluationCommand c) {
        validate(c);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Evaluation current = own(caller, serviceId);
            if (current.hidden()) {
                throw DomainError.ruleViolated("this evaluation was hidden by moderation: " + current.hiddenReason());
            }
            Instant now = clock.instant();
            if (evaluations.change(current, c.rating(), clean(c.comment()), now)) {
                return EvaluationView.of(new Evaluation(serviceId, caller.id(), current.handle(), c.rating(), clean(c.comment()),
                        current.createdAt(), now, current.reply(), current.repliedAt(), false, null), caller.id());
            }
        }
        throw DomainError.conflict("your evaluation was changing too fast to follow; retry");
    }

    public void withdraw(Caller caller, String serviceId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (evaluations.withdraw(own(caller, serviceId))) {
                return;
            }
        }
        throw DomainError.conflict("your evaluation was changing too fast to follow; retry");
    }

    /** The caller's own evaluation, hidden or not (its author sees why it was hidden). */
    public EvaluationView mine(Caller caller, String serviceId) {
        return EvaluationView.of(own(caller, serviceId), caller.id());
    }

    private Evaluation own(Caller caller, String serviceId) {
        return evaluations.find(serviceId, caller.id()).map(this::withHandle)
                .orElseThrow(() -> DomainError.notFound("you have not evaluated this service"));
    }

    /** The operator of the service (its organisation's providers) or an agent answers publicly. */
    public EvaluationView reply(Caller caller, String serviceId, String handle, String text) {
        TerritoryService service = catalogue.get(serviceId);
        if (!caller.hasAny(Role.AGENT, Role.ADMIN) && !(caller.has(Role.PROVIDER) && caller.memberOf(service.organisationId()))) {
            throw DomainError.forbidden("only the service's operator or an agent replies to its evaluations");
        }
        new Validation().text("reply", text, 1, 2000, true).throwIfInvalid();
        Evaluation evaluation = byHandle(serviceId, handle);
        if (!evaluations.reply(serviceId, evaluation.authorId(), text.strip(), clock.instant())) {
            throw noSuchHandle();
        }
        return EvaluationView.of(evaluations.find(serviceId, evaluation.authorId()).map(this::withHandle).orElseThrow(noSuch()),
                caller.id());
    }

    /** Agents hide abusive content: it stays stored, leaves the list and the summary, and its author sees why. */
    public void hide(Caller caller, String serviceId, String handle, String reason) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().text("reason", reason, 1, 500, true).throwIfInvalid();
        String authorId = byHandle(serviceId, handle).authorId();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Evaluation current = evaluations.find(serviceId, authorId).orElseThrow(noSuch());
            if (current.hidden()) {
                throw DomainError.conflict("this evaluation is already hidden");
            }
            if (evaluations.hide(current, reason.strip(), clock.instant())) {
                return;
            }
        }
        throw DomainError.conflict("the evaluation was changing too fast to follow; retry");
    }

    /** Visible evaluations, latest first, under their handles; the caller's own says {@code mine}. */
    public Page<EvaluationView> list(Caller caller, String serviceId, int limit, Optional<String> token) {
        Page<Evaluation> page = evaluations.visible(serviceId, limit, token);
        return new Page<>(page.items().stream().map(e -> EvaluationView.of(withHandle(e), caller.id())).toList(), page.nextToken());
    }

    public Summary summary(String serviceId) {
        return evaluations.summary(serviceId);
    }

    private Evaluation byHandle(String serviceId, String handle) {
        if (handle == null || !handle.matches(Pseudonyms.HANDLE)) {
            throw noSuchHandle();
        }
        return evaluations.findByHandle(serviceId, handle).orElseThrow(noSuch());
    }

    /** An evaluation stored before handles were gets the one it would have had. */
    private Evaluation withHandle(Evaluation e) {
        return e.handle() != null ? e : new Evaluation(e.serviceId(), e.authorId(), pseudonyms.handle(e.serviceId(), e.authorId()),
                e.rating(), e.comment(), e.createdAt(), e.updatedAt(), e.reply(), e.repliedAt(), e.hidden(), e.hiddenReason());
    }

    private static java.util.function.Supplier<DomainError> noSuch() {
        return EvaluationService::noSuchHandle;
    }

    /** Names nothing the request sent. */
    private static DomainError noSuchHandle() {
        return DomainError.notFound("no evaluation of this service has that handle");
    }

    private static void validate(EvaluationCommand c) {
        new Validation().require("rating", c.rating()).range("rating", c.rating(), 1, 5)
                .text("comment", c.comment(), 1, 1000, false).throwIfInvalid();
    }

    private static String clean(String comment) {
        return comment == null ? null : comment.strip();
    }
}
