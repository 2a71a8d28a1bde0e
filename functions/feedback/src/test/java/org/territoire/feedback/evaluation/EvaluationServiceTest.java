package org.territoire.feedback.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.InMemoryServiceRepository;
import org.territoire.feedback.evaluation.EvaluationService.EvaluationCommand;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** The evaluation rules, on in-memory ports. */
@Tag("unit")
class EvaluationServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final InMemoryServiceRepository services = new InMemoryServiceRepository();
    private final InMemoryEvaluationRepository stored = new InMemoryEvaluationRepository();
    private final Pseudonyms pseudonyms = new Pseudonyms(new byte[32]);
    private final EvaluationService evaluations = new EvaluationService(new CatalogueService(services, Clock.fixed(NOW, ZoneOffset.UTC)),
            stored, pseudonyms, Clock.fixed(NOW, ZoneOffset.UTC));

    EvaluationServiceTest() {
        services.add("bib", "mairie");
    }

    @Test
    void aResident_evaluatesOnce_underTheirHandle_andTheSummaryCountsIt() {
        EvaluationView view = evaluations.evaluate(resident("alice"), "bib", new EvaluationCommand(4, "  Très bien  "));

        assertThat(view.handle()).isEqualTo(pseudonyms.handle("bib", "alice")).matches(Pseudonyms.HANDLE);
        assertThat(view.mine()).isTrue();
        assertThat(view.comment()).isEqualTo("Très bien");
        assertThatThrownBy(() -> evaluations.evaluate(resident("alice"), "bib", new EvaluationCommand(2, null)))
                .isInstanceOf(DomainError.Conflict.class);
        assertThat(evaluations.summary("bib")).isEqualTo(new Summary(1, 4.0, java.util.List.of(0L, 0L, 0L, 1L, 0L)));
    }

    @Test
    void badRatings_areInvalid_naming_theField() {
        for (Integer rating : new Integer[] {null, 0, 6}) {
            assertThatThrownBy(() -> evaluations.evaluate(resident("bob"), "bib", new EvaluationCommand(rating, null)))
                    .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("rating"));
        }
        assertThatThrownBy(() -> evaluations.evaluate(resident("bob"), "bib", new EvaluationCommand(3, "x".repeat(1001))))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("comment"));
    }

    @Test
    void onlyResidents_evaluate_andOnlyLiveServices() {
        assertThatThrownBy(() -> evaluations.evaluate(agent(), "bib", new EvaluationCommand(3, null))).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> evaluations.evaluate(resident("a"), "nowhere", new EvaluationCommand(3, null)))
                .isInstanceOf(DomainError.NotFound.class);
        services.add("old", "mairie");
        services.retire("old");
        assertThatThrownBy(() -> evaluations.evaluate(resident("a"), "old", new EvaluationCommand(3, null)))
                .isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void changingAndWithdrawing_needAnEvaluation_andAHiddenOneCannotChange() {
        assertThatThrownBy(() -> evaluations.change(resident("c"), "bib", new EvaluationCommand(3, null))).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> evaluations.withdraw(resident("c"), "bib")).isInstanceOf(DomainError.NotFound.class);
        evaluations.evaluate(resident("c"), "bib", new EvaluationCommand(1, "insultes"));
        evaluations.hide(agent(), "bib", pseudonyms.handle("bib", "c"), "insultes");

        assertThatThrownBy(() -> evaluations.change(resident("c"), "bib", new EvaluationCommand(3, null)))
                .isInstanceOfSatisfying(DomainError.RuleViolated.class, e -> assertThat(e.detail()).contains("insultes"));
        assertThat(evaluations.mine(resident("c"), "bib").hiddenReason()).isEqualTo("insultes");
        assertThat(evaluations.summary("bib").count()).isZero();
        evaluations.withdraw(resident("c"), "bib");
        assertThat(stored.find("bib", "c")).isEmpty();
    }

    @Test
    void aChangeThatLosesRaces_isRetried_thenAConflict() {
        evaluations.evaluate(resident("d"), "bib", new EvaluationCommand(2, null));
        stored.racesToLose = 3;
        assertThat(evaluations.change(resident("d"), "bib", new EvaluationCommand(5, null)).rating()).isEqualTo(5);

        stored.racesToLose = EvaluationService.ATTEMPTS;
        assertThatThrownBy(() -> evaluations.change(resident("d"), "bib", new EvaluationCommand(1, null)))
                .isInstanceOf(DomainError.Conflict.class);
        stored.racesToLose = EvaluationService.ATTEMPTS;
        assertThatThrownBy(() -> evaluations.withdraw(resident("d"), "bib")).isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void theOperatorOrAnAgent_replies_byHandle_othersMayNot() {
        evaluations.evaluate(resident("e"), "bib", new EvaluationCommand(5, null));
        String handle = pseudonyms.handle("bib", "e");

        assertThat(evaluations.reply(provider("mairie"), "bib", handle, " Merci ").reply()).isEqualTo("Merci");
        assertThat(evaluations.reply(agent(), "bib", handle, "Merci encore").mine()).isFalse();
        assertThatThrownBy(() -> evaluations.reply(provider("autre"), "bib", handle, "Merci")).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> evaluations.reply(provider("mairie"), "bib", handle, " "))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("reply"));
        assertThatThrownBy(() -> evaluations.reply(provider("mairie"), "bib", "e", "Merci")).as("an author id is no handle")
                .isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> evaluations.reply(provider("mairie"), "nowhere", handle, "Merci")).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void onlyAgents_hide_once_withAReason() {
        evaluations.evaluate(resident("f"), "bib", new EvaluationCommand(1, null));
        String handle = pseudonyms.handle("bib", "f");

        assertThatThrownBy(() -> evaluations.hide(provider("mairie"), "bib", handle, "abus")).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> evaluations.hide(agent(), "bib", handle, "")).isInstanceOf(DomainError.Invalid.class);
        evaluations.hide(agent(), "bib", handle, "abus");
        assertThatThrownBy(() -> evaluations.hide(agent(), "bib", handle, "abus")).isInstanceOf(DomainError.Conflict.class);
        assertThat(evaluations.list(resident("x"), "bib", 20, Optional.empty()).items()).isEmpty();
    }

    @Test
    void anEvaluationStoredBeforeHandles_isListedUnderItsHandle_andFoundByIt_whichIsThenStored() {
        stored.storeLegacy(new Evaluation("bib", "early", null, 3, "ancien", NOW, NOW, null, null, false, null));
        String handle = pseudonyms.handle("bib", "early");
        assertThat(evaluations.list(resident("x"), "bib", 20, Optional.empty()).items()).extracting(EvaluationView::handle)
                .containsExactly(handle);

        assertThat(evaluations.reply(provider("mairie"), "bib", handle, "Merci").handle()).isEqualTo(handle);
        assertThat(stored.find("bib", "early").orElseThrow().handle()).isEqualTo(handle);
        evaluations.hide(agent(), "bib", handle, "hors sujet");
        assertThat(stored.find("bib", "early").orElseThrow().hidden()).isTrue();
        assertThatThrownBy(() -> evaluations.reply(provider("mairie"), "bib", pseudonyms.handle("bib", "nobody"), "Merci"))
                .isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void thePageAndTheDetails_carryTheSummary_andNeedAService() {
        evaluations.evaluate(resident("g"), "bib", new EvaluationCommand(2, null));
        evaluations.evaluate(resident("h"), "bib", new EvaluationCommand(5, null));

        EvaluationService.EvaluationsPage page = evaluations.page(resident("g"), "bib", 20, Optional.empty());
        assertThat(page.summary().count()).isEqualTo(2);
        assertThat(page.summary().average()).isEqualTo(3.5);
        assertThat(page.items()).filteredOn(EvaluationView::mine).singleElement().satisfies(e -> assertThat(e.rating()).isEqualTo(2));
        assertThat(evaluations.details("bib").service().id()).isEqualTo("bib");
        assertThat(evaluations.details("bib").summary()).isEqualTo(page.summary());
        assertThatThrownBy(() -> evaluations.page(resident("g"), "nowhere", 20, Optional.empty())).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> evaluations.details("nowhere")).isInstanceOf(DomainError.NotFound.class);
    }

    static Caller resident(String id) {
        return Caller.fromClaims(Map.of("sub", id, Caller.GROUPS_CLAIM, "[resident]", Caller.DISTRICT_CLAIM, "centre")).orElseThrow();
    }

    static Caller provider(String organisation) {
        return Caller.fromClaims(Map.of("sub", "staff-" + organisation, Caller.GROUPS_CLAIM, "[provider]",
                Caller.ORGANISATION_CLAIM, organisation)).orElseThrow();
    }

    static Caller agent() {
        return Caller.fromClaims(Map.of("sub", "agent-1", Caller.GROUPS_CLAIM, "[agent]", Caller.ORGANISATION_CLAIM, "mairie")).orElseThrow();
    }
}
