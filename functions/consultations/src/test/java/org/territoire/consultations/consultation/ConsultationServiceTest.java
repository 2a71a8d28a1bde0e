package org.territoire.consultations.consultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** ConsultationService's rules over the in-memory port, with a clock the test moves. */
@Tag("unit")
class ConsultationServiceTest {
    static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    static final Caller AGENT = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.empty());

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryConsultationRepository repository = new InMemoryConsultationRepository();
    private final ConsultationService service = new ConsultationService(repository, clock);

    static Caller resident(String id, String district) {
        return new Caller(id, Set.of(Role.RESIDENT), Optional.ofNullable(district), Optional.empty());
    }

    static ConsultationService.ConsultationCommand poll(List<String> districts, boolean liveResults, boolean allowChange) {
        return new ConsultationService.ConsultationCommand("Le marché du samedi", "Quel marché voulez-vous ?", Kind.POLL, districts,
                NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(7)), liveResults, allowChange, null, null, List.of(
                        new ConsultationService.QuestionCommand("Quel jour ?", Question.Type.SINGLE_CHOICE, List.of("Mardi", "Samedi", "Dimanche"),
                                null, null),
                        new ConsultationService.QuestionCommand("Votre intérêt", Question.Type.SCALE, null, null, null),
                        new ConsultationService.QuestionCommand("Une idée ?", Question.Type.FREE_TEXT, null, null, true)));
    }

    static ConsultationService.ParticipationCommand answers(String day, int interest, String idea) {
        return new ConsultationService.ParticipationCommand(List.of(new Ballot.Answer("q1", List.of(day), null, null),
                new Ballot.Answer("q2", null, interest, null), new Ballot.Answer("q3", null, null, idea)).stream()
                .filter(a -> !a.questionId().equals("q3") || idea != null).toList());
    }

    /** A scheduled poll, opened by the clock. */
    private String openPoll(List<String> districts, boolean liveResults, boolean allowChange) {
        String id = service.create(AGENT, poll(districts, liveResults, allowChange)).consultation().id();
        service.schedule(AGENT, id);
        clock.advance(Duration.ofHours(2));
        return id;
    }

    @Test
    void onlyAgentsCreate_andAnInvalidCommandNamesEachField() {
        assertThatThrownBy(() -> service.create(resident("r1", "centre"), poll(List.of(), false, false)))
                .isInstanceOf(DomainError.Forbidden.class);
        var bad = new ConsultationService.ConsultationCommand("x", "…", Kind.POLL, List.of("Centre Ville"), NOW.plus(Duration.ofDays(2)),
                NOW.plus(Duration.ofDays(1)), null, null, 5, "svc", List.of());
        assertThatThrownBy(() -> service.create(AGENT, bad)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field())
                        .contains("title", "closesAt", "districts[0]", "serviceId", "supportThreshold"));
        var far = new ConsultationService.ConsultationCommand("Très loin", "…", Kind.POLL, List.of(), NOW.plus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(366L * 11)), null, null, null, null, List.of());
        assertThatThrownBy(() -> service.create(AGENT, far)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("closesAt"));
    }

    @Test
    void aDraft_isSeenByAgentsOnly_andTheViewHidesItsInternals() {
        String id = service.create(AGENT, poll(List.of(), false, false)).consultation().id();

        assertThatThrownBy(() -> service.get(resident("r1", "centre"), id)).isInstanceOf(DomainError.NotFound.class);
        assertThat(service.list(resident("r1", "centre"), 20, Optional.empty()).items()).isEmpty();
        var forAgent = service.get(AGENT, id);
        assertThat(forAgent.phase()).isEqualTo(Phase.DRAFT);
        assertThat(forAgent.consultation().createdBy()).isEqualTo("agent-1");
        assertThat(forAgent.consultation().questions()).extracting(Question::id).containsExactly("q1", "q2", "q3");
        assertThat(forAgent.consultation().questions().get(0).choices()).extracting(Question.Choice::id).containsExactly("c1", "c2", "c3");

        service.schedule(AGENT, id);
        var forResident = service.get(resident("r1", "centre"), id);
        assertThat(forResident.phase()).isEqualTo(Phase.SCHEDULED);
        assertThat(forResident.consultation().createdBy()).as("which agent wrote it is not shown to residents").isNull();
        assertThat(service.list(resident("r1", "centre"), 20, Optional.empty()).items()).hasSize(1);
        assertThat(ConsultationView.Details.class.getRecordComponents()).extracting(c -> c.getName()).doesNotContain("version");
    }

    @Test
    void scheduling_isOnce_andNeedsQuestions_andAFutureClose() {
        String id = service.create(AGENT, poll(List.of(), false, false)).consultation().id();
        service.schedule(AGENT, id);
        assertThatThrownBy(() -> service.schedule(AGENT, id)).isInstanceOf(DomainError.Conflict.class);

        var empty = new ConsultationService.ConsultationCommand("Sans question", "…", Kind.POLL, List.of(), NOW.plus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(1)), null, null, null, null, List.of());
        String none = service.create(AGENT, empty).consultation().id();
        assertThatThrownBy(() -> service.schedule(AGENT, none)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("questions"));

        String late = service.create(AGENT, poll(List.of(), false, false)).consultation().id();
        clock.advance(Duration.ofDays(8));
        assertThatThrownBy(() -> service.schedule(AGENT, late)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("closesAt"));
        assertThatThrownBy(() -> service.schedule(resident("r1", null), late)).isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void questions_changeUntilItOpens_thenAreFrozen() {
        String id = service.create(AGENT, poll(List.of(), false, false)).consultation().id();
        service.schedule(AGENT, id);
        var edited = service.replace(AGENT, id, poll(List.of("centre"), true, false));
        assertThat(edited.consultation().districts()).containsExactly("centre");
        assertThat(edited.phase()).as("a scheduled consultation stays scheduled when edited").isEqualTo(Phase.SCHEDULED);

        var otherKind = new ConsultationService.ConsultationCommand("Des idées", "…", Kind.PROPOSALS, List.of(),
                NOW.plus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(7)), null, null, null, null, null);
        assertThatThrownBy(() -> service.replace(AGENT, id, otherKind)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("kind"));

        clock.advance(Duration.ofHours(1));
        assertThat(service.get(AGENT, id).phase()).isEqualTo(Phase.OPEN);
        assertThatThrownBy(() -> service.replace(AGENT, id, poll(List.of(), false, false)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("once open"));
        assertThat(service.get(AGENT, id).consultation().districts()).containsExactly("centre");
    }

    @Test
    void anEditThatLosesTheRaceToAnotherEdit_isAConflict_andWritesNothing() {
        String id = service.create(AGENT, poll(List.of(), false, false)).consultation().id();
        repository.beforeNextWrite(() -> service.replace(AGENT, id, poll(List.of("gare"), false, false)));

        assertThatThrownBy(() -> service.replace(AGENT, id, poll(List.of("centre"), false, false)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("changed meanwhile"));
        assertThat(service.get(AGENT, id).consultation().districts()).containsExactly("gare");
    }

    @Test
    void participation_isRefusedOutsideItsWindow_sayingWhen() {
        String id = service.create(AGENT, poll(List.of(), false, false)).consultation().id();
        assertThatThrownBy(() -> service.participate(resident("r1", null), id, answers("c1", 3, null)))
                .as("drafts are not shown to residents").isInstanceOf(DomainError.NotFound.class);
        service.schedule(AGENT, id);
        assertThatThrownBy(() -> service.participate(resident("r1", null), id, answers("c1", 3, null)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("opens at"));

        clock.advance(Duration.ofDays(7).plusHours(1));
        assertThatThrownBy(() -> service.participate(resident("r1", null), id, answers("c1", 3, null)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("closed at"));
        assertThat(repository.tallies(id).participants()).isZero();
    }

    @Test
    void eligibility_isByRoleAndByDistrict() {
        String centre = openPoll(List.of("centre"), false, false);

        assertThatThrownBy(() -> service.participate(AGENT, centre, answers("c1", 3, null)))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> assertThat(e.detail()).contains("only residents"));
        assertThatThrownBy(() -> service.participate(resident("g", "gare"), centre, answers("c1", 3, null)))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> assertThat(e.detail()).contains("centre").contains("gare"));
        assertThatThrownBy(() -> service.participate(resident("n", null), centre, answers("c1", 3, null)))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> assertThat(e.detail()).contains("not set"));
        assertThat(service.participate(resident("c", "centre"), centre, answers("c1", 3, null)).consultationId()).isEqualTo(centre);
        assertThat(repository.tallies(centre).participants()).isEqualTo(1);

        String everywhere = openPoll(List.of(), false, false);
        service.participate(resident("n", null), everywhere, answers("c2", 5, null));
        service.participate(resident("g", "gare"), everywhere, answers("c2", 4, null));
        assertThat(repository.tallies(everywhere).participants()).isEqualTo(2);
    }

    @Test
    void aPerson_takesPartOnce_evenWhenTheirSecondRequestIsInFlight() {
        String id = openPoll(List.of(), false, false);
        service.participate(resident("r1", null), id, answers("c1", 3, "Des fleurs"));

        assertThatThrownBy(() -> service.participate(resident("r1", null), id, answers("c2", 1, null)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("already taken part"));

        repository.beforeNextWrite(() -> service.participate(resident("r2", null), id, answers("c3", 2, null)));
        assertThatThrownBy(() -> service.participate(resident("r2", null), id, answers("c1", 5, null)))
                .as("the same person's concurrent request, which won the write").isInstanceOf(DomainError.Conflict.class);

        var tallies = repository.tallies(id);
        assertThat(tallies.participants()).isEqualTo(2);
        assertThat(tallies.counters()).containsEntry("q1_c1", 1L).containsEntry("q1_c3", 1L).doesNotContainKey("q1_c2")
                .containsEntry("q2_n", 2L).containsEntry("q3_n", 1L);
        assertThat(repository.texts(id, "q3", 100)).containsExactly("Des fleurs");
    }

    @Test
    void aBallot_isCheckedAgainstTheQuestions_namingEachFaultyAnswer() {
        String id = openPoll(List.of(), false, false);
        var bad = new ConsultationService.ParticipationCommand(List.of(new Ballot.Answer("q1", List.of("c9"), null, null),
                new Ballot.Answer("q2", null, 6, null), new Ballot.Answer("q7", null, null, "?")));

        assertThatThrownBy(() -> service.participate(resident("r1", null), id, bad)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactly("answers[0].choices", "answers[1].value", "answers[2].questionId"));
        assertThatThrownBy(() -> service.participate(resident("r1", null), id, new ConsultationService.ParticipationCommand(null)))
                .isInstanceOf(DomainError.Invalid.class);
        assertThat(repository.tallies(id).participants()).isZero();
    }

    @Test
    void changingOnesAnswers_isARuleOfTheConsultation_andMovesTheTallies() {
        String fixed = openPoll(List.of(), false, false);
        service.participate(resident("r1", null), fixed, answers("c1", 3, null));
        assertThatThrownBy(() -> service.change(resident("r1", null), fixed, answers("c2", 3, null)))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThat(service.mine(resident("r1", null), fixed).answers()).as("answers are kept only when they may change").isNull();

        String open = openPoll(List.of(), false, true);
        assertThatThrownBy(() -> service.change(resident("r1", null), open, answers("c2", 3, null)))
                .isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.mine(resident("r1", null), open)).isInstanceOf(DomainError.NotFound.class);
        service.participate(resident("r1", null), open, answers("c1", 3, "Des fleurs"));
        var changed = service.change(resident("r1", null), open, answers("c2", 5, null));

        assertThat(changed.canChange()).isTrue();
        var tallies = repository.tallies(open);
        assertThat(tallies.participants()).isEqualTo(1);
        assertThat(tallies.counters()).containsEntry("q1_c1", 0L).containsEntry("q1_c2", 1L).containsEntry("q2_v5", 1L)
                .containsEntry("q2_v3", 0L).containsEntry("q3_n", 0L);
        assertThat(repository.storedTexts(open)).as("the withdrawn free text is gone").isZero();
        assertThat(service.mine(resident("r1", null), open).answers()).extracting(Ballot.Answer::questionId).containsExactly("q1", "q2");

        clock.advance(Duration.ofDays(7));
        assertThatThrownBy(() -> service.change(resident("r1", null), open, answers("c3", 5, null)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("closed at"));
        assertThat(service.mine(resident("r1", null), open).canChange()).isFalse();
    }

    @Test
    void aChangeThatLosesTheRaceToAnotherChange_isAConflict() {
        String id = openPoll(List.of(), false, true);
        service.participate(resident("r1", null), id, answers("c1", 3, null));
        repository.beforeNextWrite(() -> service.change(resident("r1", null), id, answers("c3", 1, null)));

        assertThatThrownBy(() -> service.change(resident("r1", null), id, answers("c2", 2, null)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("changed meanwhile"));
        assertThat(repository.tallies(id).counters()).containsEntry("q1_c3", 1L).containsEntry("q1_c1", 0L).doesNotContainKey("q1_c2");
    }

    @Test
    void aProposalsConsultation_takesNoAnswers() {
        var ideas = new ConsultationService.ConsultationCommand("Des idées", "…", Kind.PROPOSALS, List.of(), NOW.plus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(7)), null, null, 3, null, null);
        String id = service.create(AGENT, ideas).consultation().id();
        service.schedule(AGENT, id);
        clock.advance(Duration.ofHours(2));

        assertThatThrownBy(() -> service.participate(resident("r1", null), id, answers("c1", 3, null)))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThatThrownBy(() -> service.export(AGENT, id)).isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void results_areForAgents_thenForEveryoneOncePublished_afterClosing() {
        String id = openPoll(List.of(), false, false);
        service.participate(resident("r1", null), id, answers("c1", 4, "Des fleurs"));
        service.participate(resident("r2", null), id, answers("c2", 2, null));

        assertThatThrownBy(() -> service.withVisibleResults(resident("r1", null), id)).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.publishResults(AGENT, id))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("open"));
        Results live = service.results(service.withVisibleResults(AGENT, id), true);
        assertThat(live.participants()).isEqualTo(2);

        clock.advance(Duration.ofDays(7));
        assertThatThrownBy(() -> service.withVisibleResults(resident("r1", null), id))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> assertThat(e.detail()).contains("not published"));
        assertThatThrownBy(() -> service.publishResults(resident("r1", null), id)).isInstanceOf(DomainError.Forbidden.class);
        assertThat(service.publishResults(AGENT, id).phase()).isEqualTo(Phase.RESULTS_PUBLISHED);
        assertThatThrownBy(() -> service.publishResults(AGENT, id))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> assertThat(e.detail()).contains("already published"));

        Results results = service.results(service.withVisibleResults(resident("r3", "gare"), id), true);
        assertThat(results.phase()).isEqualTo(Phase.RESULTS_PUBLISHED);
        assertThat(results.questions().get(0).counts()).extracting(Results.Count::count).containsExactly(1L, 1L, 0L);
        assertThat(results.questions().get(0).counts()).extracting(Results.Count::percentage).containsExactly(50.0, 50.0, 0.0);
        assertThat(results.questions().get(1).average()).isEqualTo(3.0);
        assertThat(results.questions().get(2).texts()).containsExactly("Des fleurs");
        Results export = service.export(resident("r3", "gare"), id);
        assertThat(export.questions().get(2).texts()).as("the open-data export never carries the free texts").isNull();
        assertThat(export.questions().get(2).answered()).isEqualTo(1);
    }

    @Test
    void liveResults_areShownWhileOpen() {
        String id = openPoll(List.of(), true, false);
        service.participate(resident("r1", null), id, answers("c3", 1, null));

        assertThat(service.results(service.withVisibleResults(resident("r2", null), id), true).participants()).isEqualTo(1);
    }

    @Test
    void aStrangerIsNeverToldWhetherAnIdExists() {
        assertThatThrownBy(() -> service.get(resident("r1", null), "nope")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.schedule(AGENT, "nope")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.publishResults(AGENT, "nope")).isInstanceOf(DomainError.NotFound.class);
    }
}
