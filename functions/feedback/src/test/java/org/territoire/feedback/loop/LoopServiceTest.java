package org.territoire.feedback.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.InMemoryServiceRepository;
import org.territoire.feedback.loop.LoopService.CheckAnswer;
import org.territoire.feedback.loop.LoopService.Decision;
import org.territoire.feedback.loop.LoopService.NewReopenRequest;
import org.territoire.feedback.loop.LoopService.ReopenDecision;
import org.territoire.feedback.loop.ResolutionCheck.Answer;
import org.territoire.feedback.report.InMemoryReportRepository;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** Closing the loop's rules, on in-memory ports. */
@Tag("unit")
class LoopServiceTest {
    private static final Duration AFTER = Duration.ofDays(28);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
    private final InMemoryServiceRepository services = new InMemoryServiceRepository();
    private final InMemoryReportRepository stored = new InMemoryReportRepository(clock);
    private final ReportService reports = new ReportService(new CatalogueService(services, clock), stored, clock);
    private final InMemoryLoopRepository loopStore = new InMemoryLoopRepository(stored);
    private final RecordingEvents events = new RecordingEvents();
    /** Who follows which report, as the workflow's followers port reads them. */
    private final Map<String, List<String>> follows = new java.util.HashMap<>();
    private final LoopService loop = new LoopService(stored, loopStore, events, clock, AFTER)
            .followedBy(reportId -> follows.getOrDefault(reportId, List.of()));

    LoopServiceTest() {
        services.add("voirie", "ville");
    }

    @Test
    void theSweep_asksTheAuthor_onlyOnceTheDelayHasPassed_andOnlyOnce() {
        Report report = resolved("alice");
        Instant resolvedAt = clock.instant();

        clock.advance(AFTER.minusMinutes(1));
        assertThat(loop.sweep(clock.instant()).markedDue()).isZero();
        assertThat(events.published).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        assertThat(loop.sweep(clock.instant()).markedDue()).isEqualTo(1);
        assertThat(loop.sweep(clock.instant()).markedDue()).as("a second run").isZero();
        assertThat(events.of(LoopService.CHECK_DUE)).singleElement().extracting(RecordingEvents.Event::detail)
                .isEqualTo(Map.of("reportId", report.id(), "authorId", "alice", "resolvedAt", "2026-11-01T10:00:00.000Z"));
        assertThat(loopStore.checks.get(report.id()).state()).isEqualTo(ResolutionCheck.State.DUE);
        assertThat(resolvedAt).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
    }

    @Test
    void aBusThatRefuses_leavesTheCheckDue_andALaterSweepAnnouncesIt() {
        Report report = resolved("alice");
        clock.advance(AFTER.plusHours(1));
        events.refusing = true;
        LoopService.SweepSummary first = loop.sweep(clock.instant());
        assertThat(first.markedDue()).isEqualTo(1);
        assertThat(first.failed()).isEqualTo(1);

        events.refusing = false;
        assertThat(loop.sweep(clock.instant()).republished()).as("too soon: another sweep may be publishing it").isZero();
        clock.advance(Duration.ofMinutes(6));
        assertThat(loop.sweep(clock.instant()).republished()).isEqualTo(1);
        assertThat(loop.sweep(clock.instant()).republished()).isZero();
        assertThat(events.of(LoopService.CHECK_DUE)).singleElement().satisfies(e -> assertThat(e.detail()).containsEntry("reportId", report.id()));
    }

    @Test
    void onlyTheAuthor_answers_onlyWhileDue_andOnlyOnce() {
        Report report = resolved("alice");
        assertThatThrownBy(() -> loop.answer(resident("alice"), report.id(), new CheckAnswer(Answer.YES, null)))
                .as("not due yet").isInstanceOf(DomainError.RuleViolated.class);
        due();

        assertThatThrownBy(() -> loop.answer(resident("bob"), report.id(), new CheckAnswer(Answer.NO, null)))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> loop.answer(resident("alice"), report.id(), new CheckAnswer(null, "x")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).anyMatch(f -> f.field().equals("answer")));
        assertThatThrownBy(() -> loop.answer(resident("alice"), report.id(), new CheckAnswer(Answer.YES, "x".repeat(1001))))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).anyMatch(f -> f.field().equals("comment")));

        ResolutionCheck answered = loop.answer(resident("alice"), report.id(), new CheckAnswer(Answer.PARTLY, " Mieux, mais pas fini "));
        assertThat(answered.state()).isEqualTo(ResolutionCheck.State.ANSWERED);
        assertThat(answered.comment()).isEqualTo("Mieux, mais pas fini");
        assertThat(stored.find(report.id()).orElseThrow().status()).isEqualTo(ReportStatus.RESOLVED);
        assertThatThrownBy(() -> loop.answer(resident("alice"), report.id(), new CheckAnswer(Answer.NO, null)))
                .as("a second answer").isInstanceOf(DomainError.RuleViolated.class);
        assertThat(events.of(LoopService.STATUS_CHANGED)).isEmpty();
    }

    @Test
    void no_reopensTheReport_withTheAnswerInItsHistory_andTellsTheFollowers_notTheAuthorWhoAnswered() {
        Report report = resolved("alice");
        follows.put(report.id(), List.of("fred", "alice"));
        due();

        loop.answer(resident("alice"), report.id(), new CheckAnswer(Answer.NO, "Toujours éteint le soir"));

        assertThat(stored.find(report.id()).orElseThrow().status()).isEqualTo(ReportStatus.OPEN);
        StatusChange last = stored.history(report.id()).get(stored.history(report.id()).size() - 1);
        assertThat(last.from()).isEqualTo(ReportStatus.RESOLVED);
        assertThat(last.to()).isEqualTo(ReportStatus.OPEN);
        assertThat(last.actorRole()).isEqualTo(StatusChange.RESIDENT);
        assertThat(last.note()).isEqualTo("Toujours éteint le soir");
        assertThat(events.of(LoopService.STATUS_CHANGED)).singleElement().satisfies(e -> {
            assertThat(e.detail()).containsEntry("status", "OPEN").containsEntry("previousStatus", "RESOLVED")
                    .containsEntry("publicNote", "Toujours éteint le soir").containsEntry("recipients", List.of("fred"));
        });
        assertThat(loopStore.checks.get(report.id()).answer()).isEqualTo(Answer.NO);
    }

    @Test
    void aResident_asksToReopen_oncePending_andOnlyAResolvedReport() {
        Report open = reports.report(resident("alice"), here());
        assertThatThrownBy(() -> loop.requestReopen(resident("bob"), open.id(), new NewReopenRequest("Toujours en panne ce soir")))
                .isInstanceOf(DomainError.RuleViolated.class);
        Report report = resolved("alice");
        assertThatThrownBy(() -> loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("court")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).anyMatch(f -> f.field().equals("reason")));
        assertThatThrownBy(() -> loop.requestReopen(provider("ville"), report.id(), new NewReopenRequest("Toujours en panne ce soir")))
                .isInstanceOf(DomainError.Forbidden.class);

        loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("Toujours en panne ce soir"));
        assertThatThrownBy(() -> loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("Je le redemande encore")))
                .isInstanceOf(DomainError.Conflict.class);
        loop.requestReopen(resident("carol"), report.id(), new NewReopenRequest("Pareil de mon côté, rue Neuve"));

        assertThat(events.of(LoopService.REOPEN_REQUESTED)).hasSize(2).first().satisfies(e -> assertThat(e.detail())
                .containsOnlyKeys("reportId", "organisationId", "requestedAt").containsEntry("organisationId", "ville"));
        assertThat(loop.pending(provider("ville"), "ville", 20, java.util.Optional.empty()).items()).hasSize(2);
        assertThatThrownBy(() -> loop.pending(provider("autre"), "ville", 20, java.util.Optional.empty()))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThat(loop.requests(resident("dave"), report.id())).allSatisfy(q -> assertThat(q.requesterId()).isNull());
        assertThat(loop.requests(resident("bob"), report.id())).extracting(ReopenRequest::requesterId).containsOnly("bob", null);
    }

    @Test
    void theOperator_refusesWithAPublicReason_orAccepts_reopeningWithTheReasonInHistory_toldToAuthorFollowersAndRequester() {
        Report report = resolved("alice");
        follows.put(report.id(), List.of("fred", "carol"));
        loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("Toujours en panne ce soir"));
        loop.requestReopen(resident("carol"), report.id(), new NewReopenRequest("Pareil de mon côté, rue Neuve"));

        assertThatThrownBy(() -> loop.decide(provider("autre"), report.id(), "bob", new ReopenDecision(Decision.ACCEPT, null)))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> loop.decide(provider("ville"), report.id(), "bob", new ReopenDecision(Decision.REFUSE, null)))
                .as("a refusal says why").isInstanceOf(DomainError.Invalid.class);
        ReopenRequest refused = loop.decide(provider("ville"), report.id(), "bob",
                new ReopenDecision(Decision.REFUSE, "C'est un autre lampadaire, signalez-le à part"));
        assertThat(refused.state()).isEqualTo(ReopenRequest.State.REFUSED);
        assertThat(stored.find(report.id()).orElseThrow().status()).isEqualTo(ReportStatus.RESOLVED);
        assertThatThrownBy(() -> loop.decide(provider("ville"), report.id(), "bob", new ReopenDecision(Decision.ACCEPT, null)))
                .isInstanceOf(DomainError.RuleViolated.class);

        loop.decide(provider("ville"), report.id(), "carol", new ReopenDecision(Decision.ACCEPT, null));
        assertThat(stored.find(report.id()).orElseThrow().status()).isEqualTo(ReportStatus.OPEN);
        StatusChange last = stored.history(report.id()).get(stored.history(report.id()).size() - 1);
        assertThat(last.reason()).contains("Pareil de mon côté, rue Neuve");
        assertThat(last.actorRole()).isEqualTo(StatusChange.OPERATOR);
        assertThat(events.of(LoopService.STATUS_CHANGED)).singleElement().satisfies(e -> assertThat(e.detail())
                .containsEntry("recipients", List.of("alice", "fred", "carol")).containsEntry("status", "OPEN")
                .containsEntry("publicNote", null));
        assertThat(loopStore.checks).as("the resolution it asked about was undone").doesNotContainKey(report.id());
        assertThat(loop.pending(provider("ville"), "ville", 20, java.util.Optional.empty()).items()).isEmpty();
    }

    @Test
    void aRefusedResident_mayAskAgain() {
        Report report = resolved("alice");
        loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("Toujours en panne ce soir"));
        loop.decide(agent(), report.id(), "bob", new ReopenDecision(Decision.REFUSE, "Réparé ce matin, vérifié sur place"));
        assertThat(loop.requestReopen(resident("bob"), report.id(), new NewReopenRequest("Encore éteint ce soir, photo à l'appui"))
                .state()).isEqualTo(ReopenRequest.State.PENDING);
    }

    @Test
    void theDelay_isConfigured_inWholeDays() {
        assertThat(LoopWiring.checkAfter(null)).isEqualTo(Duration.ofDays(28));
        assertThat(LoopWiring.checkAfter("7")).isEqualTo(Duration.ofDays(7));
        assertThatThrownBy(() -> LoopWiring.checkAfter("-1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LoopWiring.checkAfter("2w")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFigures_areExactMedians_perCategoryAndOperator_overTheLast90Days() {
        LoopService figures = new LoopService(stored, loopStore, events, clock, AFTER,
                serviceId -> java.util.Optional.of("voirie".equals(serviceId) ? "roads" : "other"));
        Report old = reports.report(resident("alice"), here());
        clock.advance(Duration.ofDays(91));
        Instant start = clock.instant();
        Report r1 = reports.report(resident("alice"), here());
        Report r2 = reports.report(resident("bob"), here());
        Report r3 = reports.report(resident("carol"), here());
        clock.set(start.plus(Duration.ofHours(1)));
        move(r1, ReportStatus.ACKNOWLEDGED);
        clock.set(start.plus(Duration.ofHours(2)));
        move(r2, ReportStatus.IN_PROGRESS);
        clock.set(start.plus(Duration.ofHours(3)));
        move(r1, ReportStatus.RESOLVED);
        clock.set(start.plus(Duration.ofHours(5)));
        move(r2, ReportStatus.RESOLVED);
        loopStore.scheduled(stored.find(r2.id()).orElseThrow(), clock.instant());
        loop.requestReopen(resident("dave"), r2.id(), new NewReopenRequest("Toujours en panne ce soir"));
        loop.decide(provider("ville"), r2.id(), "dave", new ReopenDecision(Decision.ACCEPT, null));

        assertThat(figures.refreshStatsIfOlderThan(clock.instant(), Duration.ofHours(1))).isTrue();
        ReportStats stats = figures.stats().orElseThrow();
        ReportStats.Group expected = new ReportStats.Group(null, "ville", 3, 2, 2, 5400L, 2, 14_400L, 1, 0.5);
        assertThat(stats.byOperator()).containsExactly(expected);
        assertThat(stats.byCategory()).singleElement().satisfies(g -> {
            assertThat(g.category()).isEqualTo("roads");
            assertThat(g.reports()).isEqualTo(3);
        });
        assertThat(old.createdAt()).isBefore(stats.from());

        assertThat(figures.refreshStatsIfOlderThan(clock.instant().plus(Duration.ofMinutes(59)), Duration.ofHours(1)))
                .as("fresh enough").isFalse();
        assertThat(figures.refreshStatsIfOlderThan(clock.instant().plus(Duration.ofMinutes(61)), Duration.ofHours(1))).isTrue();
    }

    @Test
    void medians_areExact() {
        assertThat(ReportStats.median(List.of())).isNull();
        assertThat(ReportStats.median(List.of(7L))).isEqualTo(7L);
        assertThat(ReportStats.median(List.of(1L, 2L, 10L))).isEqualTo(2L);
        assertThat(ReportStats.median(List.of(1L, 2L, 10L, 11L))).isEqualTo(6L);
    }

    private void move(Report r, ReportStatus to) {
        reports.changeStatus(provider("ville"), r.id(), new ReportService.NewStatus(to, null, null, null));
    }

    // ------------------------------------------------------------------ helpers

    /** A report by {@code author}, resolved now by its operator, its check scheduled as the adapter does. */
    private Report resolved(String author) {
        Report report = reports.report(resident(author), here());
        reports.changeStatus(provider("ville"), report.id(), new ReportService.NewStatus(ReportStatus.RESOLVED, "Réparé", null, null));
        loopStore.scheduled(stored.find(report.id()).orElseThrow(), clock.instant());
        return stored.find(report.id()).orElseThrow();
    }

    private void due() {
        clock.advance(AFTER.plusMinutes(1));
        loop.sweep(clock.instant());
    }

    private static ReportService.NewReport here() {
        return new ReportService.NewReport("voirie", "Lampadaire en panne depuis trois jours", null, null, "1 rue de la Gare", null, null);
    }

    private static Caller resident(String id) {
        return Caller.fromClaims(Map.of("sub", id, Caller.GROUPS_CLAIM, "[resident]", Caller.DISTRICT_CLAIM, "centre")).orElseThrow();
    }

    private static Caller provider(String organisation) {
        return Caller.fromClaims(Map.of("sub", "staff-" + organisation, Caller.GROUPS_CLAIM, "[provider]",
                Caller.ORGANISATION_CLAIM, organisation)).orElseThrow();
    }

    private static Caller agent() {
        return Caller.fromClaims(Map.of("sub", "agent-1", Caller.GROUPS_CLAIM, "[agent]", Caller.ORGANISATION_CLAIM, "mairie")).orElseThrow();
    }
}
