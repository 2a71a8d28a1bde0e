package org.territoire.feedback.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.http.Caller;
import org.territoire.shared.http.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Residents' evaluations of the territory's services. Summaries stay exact because every
 * change is one transaction with the summary, conditioned on the rating it replaces; a
 * change that lost a race is re-read and retried, never applied on stale data.
 */
public final class EvaluationService {
    static final int ATTEMPTS = 8;

    /** The body of an evaluation: a rating from 1 to 5 and an optional comment. */
    public record EvaluationCommand(Integer rating, String comment) {
    }

    private final CatalogueService catalogue;
    private final EvaluationRepository evaluations;
    private final Clock clock;

    public EvaluationService(CatalogueService catalogue, EvaluationRepository evaluations, Clock clock) {
        this.catalogue = catalogue;
        this.evaluations = evaluations;
        this.clock = clock;
    }

    public Evaluation evaluate(Caller caller, String serviceId, EvaluationCommand c) {
        caller.requireAny(Role.RESIDENT);
        validate(c);
        catalogue.active(serviceId);
        Instant now = clock.instant();
        Evaluation evaluation = new Evaluation(serviceId, caller.id(), c.rating(), clean(c.comment()), now, now,
                null, null, false, null);
        if (!evaluations.add(evaluation)) {
            throw ApiException.conflict("you have already evaluated this service: change it with PUT .../evaluations/mine");
        }
        return evaluation;
    }

    public Evaluation change(Caller caller, String serviceId, EvaluationCommand c) {
        validate(c);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Evaluation current = mine(caller, serviceId);
            if (current.hidden()) {
                throw ApiException.unprocessable("this evaluation was hidden by moderation: " + current.hiddenReason());
            }
            Instant now = clock.instant();
            if (evaluations.change(current, c.rating(), clean(c.comment()), now)) {
                return new Evaluation(serviceId, caller.id(), c.rating(), clean(c.comment()), current.createdAt(), now,
                        current.reply(), current.repliedAt(), false, null);
            }
        }
        throw ApiException.conflict("your evaluation was changing too fast to follow; retry");
    }

    public void withdraw(Caller caller, String serviceId) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (evaluations.withdraw(mine(caller, serviceId))) {
                return;
            }
        }
        throw ApiException.conflict("your evaluation was changing too fast to follow; retry");
    }

    /** The caller's own evaluation, hidden or not (its author sees why it was hidden). */
    public Evaluation mine(Caller caller, String serviceId) {
        return evaluations.find(serviceId, caller.id())
                .orElseThrow(() -> ApiException.notFound("you have not evaluated this service"));
    }

    /** The operator of the service (its organisation's providers) or an agent answers publicly. */
    public Evaluation reply(Caller caller, String serviceId, String authorId, String text) {
        TerritoryService service = catalogue.get(serviceId);
        if (!caller.hasAny(Role.AGENT, Role.ADMIN) && !(caller.has(Role.PROVIDER) && caller.memberOf(service.organisationId()))) {
            throw ApiException.forbidden("only the service's operator or an agent replies to its evaluations");
        }
        new Validation().text("reply", text, 1, 2000, true).throwIfInvalid();
        if (!evaluations.reply(serviceId, authorId, text.strip(), clock.instant())) {
            throw ApiException.notFound("no evaluation of this service by this author");
        }
        return evaluations.find(serviceId, authorId).orElseThrow();
    }

    /** Agents hide abusive content: it stays stored, leaves the list and the summary, and its author sees why. */
    public void hide(Caller caller, String serviceId, String authorId, String reason) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().text("reason", reason, 1, 500, true).throwIfInvalid();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Evaluation current = evaluations.find(serviceId, authorId)
                    .orElseThrow(() -> ApiException.notFound("no evaluation of this service by this author"));
            if (current.hidden()) {
                throw ApiException.conflict("this evaluation is already hidden");
            }
            if (evaluations.hide(current, reason.strip(), clock.instant())) {
                return;
            }
        }
        throw ApiException.conflict("the evaluation was changing too fast to follow; retry");
    }

    public Page<Evaluation> list(String serviceId, int limit, Optional<String> token) {
        return evaluations.visible(serviceId, limit, token);
    }

    public Summary summary(String serviceId) {
        return evaluations.summary(serviceId);
    }

    private static void validate(EvaluationCommand c) {
        new Validation().require("rating", c.rating()).range("rating", c.rating(), 1, 5)
                .text("comment", c.comment(), 1, 1000, false).throwIfInvalid();
    }

    private static String clean(String comment) {
        return comment == null ? null : comment.strip();
    }
}
