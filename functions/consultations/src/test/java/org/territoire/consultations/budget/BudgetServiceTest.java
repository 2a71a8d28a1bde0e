package org.territoire.consultations.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** The budget's cycle through the service, on the in-memory port and a clock the test moves. */
@Tag("unit")
class BudgetServiceTest {
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Caller AGENT = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.of("mairie"));

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryBudgetRepository repository = new InMemoryBudgetRepository();
    private final List<Map.Entry<String, Map<String, Object>>> events = new ArrayList<>();
    private final BudgetService budgets = new BudgetService(repository, clock)
            .publishingTo((type, detail) -> events.add(Map.entry(type, Map.copyOf(detail))));

    private static Caller resident(String id, String district) {
        return new Caller(id, Set.of(Role.RESIDENT), Optional.ofNullable(district), Optional.empty());
    }

    private static BudgetService.BudgetCommand command(String district, BudgetService.RuleCommand rule, boolean allowChange) {
        return new BudgetService.BudgetCommand("Budget participatif 2027", "100 000 € pour vos projets", district, 100_000L, rule,
                new Budget.Schedule(NOW, NOW.plus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(45)), NOW.plus(Duration.ofDays(60))), allowChange);
    }

    private static final BudgetService.RuleCommand KNAPSACK = new BudgetService.RuleCommand(Rule.Kind.KNAPSACK, null, null, null);

    /** A budget in its vote phase with feasible projects of these costs. */
    private record Voting(String id, List<String> projects) {
    }

    private Voting voting(String district, BudgetService.RuleCommand rule, boolean allowChange, long... costs) {
        String id = budgets.create(AGENT, command(district, rule, allowChange)).id();
        budgets.schedule(AGENT, id);
        List<String> ids = new ArrayList<>();
        for (long cost : costs) {
            ids.add(budgets.submit(resident("author", district == null ? "centre" : district), id, new BudgetService.ProjectCommand(
                    "Projet à " + cost + " €", "Un projet utile pour le quartier", new Project.Location(45.76, 4.83, "place du marché"), cost)).id());
        }
        budgets.nextPhase(AGENT, id);
        for (String p : ids) {
            long cost = budgets.project(AGENT, id, p).proposedCost();
            budgets.review(AGENT, id, p, new BudgetService.ReviewCommand(Project.Status.FEASIBLE, "Faisable par les services", cost, null));
        }
        budgets.nextPhase(AGENT, id);
        return new Voting(id, ids);
    }

    @Test
    void theCycle_proposalsReviewVoteResultsFollowUp_withPhasesEndedByAgents() {
        String id = budgets.create(AGENT, command("centre", KNAPSACK, false)).id();
        assertThatThrownBy(() -> budgets.get(resident("r1", "centre"), id)).as("drafts are for agents").isInstanceOf(DomainError.NotFound.class);
        assertThat(budgets.schedule(AGENT, id).phase()).isEqualTo(Budget.Phase.PROPOSALS);

        var bench = budgets.submit(resident("r1", "centre"), id, new BudgetService.ProjectCommand("Des bancs au square",
                "Trois bancs à l'ombre des platanes", new Project.Location(45.76, 4.83, null), 12_000L));
        var dup = budgets.submit(resident("r2", "centre"), id, new BudgetService.ProjectCommand("Bancs square Jaurès",
                "Des bancs dans le square Jean-Jaurès", new Project.Location(45.76, 4.83, null), 9_000L));
        var pool = budgets.submit(resident("r3", "centre"), id, new BudgetService.ProjectCommand("Une piscine olympique",
                "Une piscine de 50 mètres au centre", new Project.Location(45.77, 4.84, null), 99_000L));
        assertThatThrownBy(() -> budgets.review(AGENT, id, bench.id(), new BudgetService.ReviewCommand(Project.Status.FEASIBLE, "ok", 1L, null)))
                .as("review waits for the review phase").isInstanceOf(DomainError.Conflict.class);

        assertThat(budgets.nextPhase(AGENT, id).phase()).isEqualTo(Budget.Phase.REVIEW);
        assertThatThrownBy(() -> budgets.submit(resident("r4", "centre"), id, new BudgetService.ProjectCommand("Trop tard",
                "Un projet proposé après la clôture", new Project.Location(45, 4, null), 10L))).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> budgets.review(resident("r1", "centre"), id, bench.id(), new BudgetService.ReviewCommand(
                Project.Status.FEASIBLE, "Je valide", 1L, null))).as("only agents review").isInstanceOf(DomainError.Forbidden.class);
        budgets.review(AGENT, id, bench.id(), new BudgetService.ReviewCommand(Project.Status.FEASIBLE, "Faisable", 15_000L, null));
        budgets.review(AGENT, id, dup.id(), new BudgetService.ReviewCommand(Project.Status.MERGED, "Même idée que les bancs", null, bench.id()));
        var refused = budgets.review(AGENT, id, pool.id(), new BudgetService.ReviewCommand(Project.Status.UNFEASIBLE,
                "Coûte plus que le budget entier", null, null));
        assertThat(refused.review().reason()).isEqualTo("Coûte plus que le budget entier");
        assertThat(budgets.project(resident("r9", "gare"), id, bench.id()).cost()).as("the agents' estimate counts").isEqualTo(15_000);

        assertThat(budgets.nextPhase(AGENT, id).phase()).isEqualTo(Budget.Phase.VOTE);
        var draft = budgets.saveDraft(resident("v1", "centre"), id, new BudgetService.BallotCommand(List.of(bench.id())));
        assertThat(draft.status()).isEqualTo("DRAFT");
        assertThat(draft.remaining()).isEqualTo(85_000);
        assertThatThrownBy(() -> budgets.saveDraft(resident("v1", "centre"), id, new BudgetService.BallotCommand(List.of(dup.id()))))
                .as("a merged project is not on the ballot").isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> budgets.results(AGENT, id)).as("no running totals during the vote, even for agents")
                .isInstanceOf(DomainError.Forbidden.class);
        budgets.saveDraft(resident("v2", "centre"), id, new BudgetService.BallotCommand(List.of(bench.id())));
        var confirmed = budgets.confirm(resident("v1", "centre"), id);
        assertThat(confirmed.status()).isEqualTo("CONFIRMED");
        assertThat(confirmed.receipt()).isNotBlank();
        var share = budgets.participation(AGENT, id);
        assertThat(share.started()).isEqualTo(2);
        assertThat(share.confirmed()).isEqualTo(1);
        assertThat(share.confirmedShare()).isEqualTo(50.0);
        assertThatThrownBy(() -> budgets.participation(resident("v1", "centre"), id)).isInstanceOf(DomainError.Forbidden.class);

        assertThat(budgets.nextPhase(AGENT, id).phase()).isEqualTo(Budget.Phase.COUNTING);
        assertThatThrownBy(() -> budgets.confirm(resident("v2", "centre"), id)).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> budgets.results(resident("v1", "centre"), id)).isInstanceOf(DomainError.Forbidden.class);
        assertThat(budgets.results(AGENT, id).ballots()).as("agents count before publishing").isEqualTo(1);
        assertThatThrownBy(() -> budgets.publishResults(resident("v1", "centre"), id)).isInstanceOf(DomainError.Forbidden.class);
        assertThat(budgets.publishResults(AGENT, id).phase()).isEqualTo(Budget.Phase.RESULTS);

        var results = budgets.results(resident("v1", "centre"), id);
        assertThat(results.projects()).extracting(BudgetViews.ResultRow::projectId).containsExactly(bench.id());
        assertThat(results.projects().get(0).outcome()).isEqualTo(Winners.Outcome.SELECTED);
        assertThat(results.spent()).isEqualTo(15_000);

        var progress = budgets.implementation(AGENT, id, bench.id(), new BudgetService.ImplementationCommand(Project.Progress.IN_PROGRESS, 40));
        assertThat(progress.implementation().percent()).isEqualTo(40);
        budgets.addUpdate(AGENT, id, bench.id(), new BudgetService.UpdateCommand(LocalDate.parse("2026-02-20"), "Commande des bancs"));
        var updated = budgets.addUpdate(AGENT, id, bench.id(), new BudgetService.UpdateCommand(LocalDate.parse("2026-02-10"), "Étude du site"));
        assertThat(updated.updates()).extracting(BudgetViews.UpdateView::text).as("in date order").containsExactly("Étude du site", "Commande des bancs");
        assertThatThrownBy(() -> budgets.addUpdate(AGENT, id, pool.id(), new BudgetService.UpdateCommand(LocalDate.parse("2026-02-10"), "Rien")))
                .as("only selected projects are followed").isInstanceOf(DomainError.RuleViolated.class);
        assertThat(budgets.nextPhase(AGENT, id).phase()).isEqualTo(Budget.Phase.FOLLOW_UP);
    }

    @Test
    void onlyResidentsOfTheScope_proposeAndVote_andATerritoryBudgetTakesEveryDistrict() {
        String id = budgets.create(AGENT, command("centre", KNAPSACK, false)).id();
        budgets.schedule(AGENT, id);
        var idea = new BudgetService.ProjectCommand("Une fontaine", "Une fontaine d'eau potable", new Project.Location(45, 4, null), 5_000L);
        assertThatThrownBy(() -> budgets.submit(resident("g", "gare"), id, idea)).isInstanceOf(DomainError.Forbidden.class)
                .hasMessageContaining("centre");
        assertThatThrownBy(() -> budgets.submit(resident("none", null), id, idea)).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> budgets.submit(AGENT, id, idea)).as("an agent is not a resident").isInstanceOf(DomainError.Forbidden.class);

        Voting territory = voting(null, KNAPSACK, false, 10_000);
        budgets.saveDraft(resident("g", "gare"), territory.id(), new BudgetService.BallotCommand(territory.projects()));
        assertThat(budgets.confirm(resident("g", "gare"), territory.id()).status()).isEqualTo("CONFIRMED");
        Voting centre = voting("centre", KNAPSACK, false, 10_000);
        assertThatThrownBy(() -> budgets.saveDraft(resident("g", "gare"), centre.id(), new BudgetService.BallotCommand(centre.projects())))
                .isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void confirming_checksTheRule_onTheServer_withTheFigures() {
        Voting v = voting("centre", new BudgetService.RuleCommand(Rule.Kind.KNAPSACK, 50, null, null), false, 60_000, 45_000, 20_000);
        Caller r = resident("r", "centre");

        var over = budgets.saveDraft(r, v.id(), new BudgetService.BallotCommand(List.of(v.projects().get(0), v.projects().get(1))));
        assertThat(over.remaining()).as("the draft may break the rule: it shows why").isEqualTo(-5_000);
        assertThat(over.problem()).contains("more than the budget");
        assertThatThrownBy(() -> budgets.confirm(r, v.id())).isInstanceOfSatisfying(DomainError.RuleViolated.class,
                e -> assertThat(e.details()).containsEntry("total", 105_000L));
        budgets.saveDraft(r, v.id(), new BudgetService.BallotCommand(List.of(v.projects().get(2))));
        assertThatThrownBy(() -> budgets.confirm(r, v.id())).isInstanceOfSatisfying(DomainError.RuleViolated.class,
                e -> assertThat(e.details()).containsEntry("minimumTotal", 50_000L));
        budgets.saveDraft(r, v.id(), new BudgetService.BallotCommand(List.of(v.projects().get(0), v.projects().get(2))));
        assertThat(budgets.confirm(r, v.id()).total()).isEqualTo(80_000);
        assertThat(budgets.participation(AGENT, v.id()).started()).as("one ballot however many drafts").isEqualTo(1);

        Voting n = voting("centre", new BudgetService.RuleCommand(Rule.Kind.SELECT_N, null, 2, 2), false, 1_000, 2_000, 3_000);
        budgets.saveDraft(r, n.id(), new BudgetService.BallotCommand(List.of(n.projects().get(0))));
        assertThatThrownBy(() -> budgets.confirm(r, n.id())).isInstanceOf(DomainError.RuleViolated.class).hasMessageContaining("between 2 and 2");
    }

    @Test
    void aConfirmedBallot_changes_onlyWhereTheBudgetAllows_andTotalsMoveByTheDifference() {
        Voting fixed = voting("centre", KNAPSACK, false, 10_000, 20_000);
        Caller r = resident("r", "centre");
        budgets.saveDraft(r, fixed.id(), new BudgetService.BallotCommand(List.of(fixed.projects().get(0))));
        budgets.confirm(r, fixed.id());
        assertThatThrownBy(() -> budgets.saveDraft(r, fixed.id(), new BudgetService.BallotCommand(List.of(fixed.projects().get(1)))))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThatThrownBy(() -> budgets.confirm(r, fixed.id())).as("confirming twice counts once").isInstanceOf(DomainError.Conflict.class);

        Voting open = voting("centre", KNAPSACK, true, 10_000, 20_000, 30_000);
        budgets.saveDraft(r, open.id(), new BudgetService.BallotCommand(List.of(open.projects().get(0), open.projects().get(1))));
        String first = budgets.confirm(r, open.id()).receipt();
        var changed = budgets.saveDraft(r, open.id(), new BudgetService.BallotCommand(List.of(open.projects().get(1), open.projects().get(2))));
        assertThat(changed.status()).as("the confirmed ballot counts until the new one is confirmed").isEqualTo("CHANGED");
        assertThat(repository.tallies(open.id()).votes()).containsEntry(open.projects().get(0), 1L);
        var again = budgets.confirm(r, open.id());
        assertThat(again.receipt()).isNotEqualTo(first);
        assertThat(repository.tallies(open.id()).votes()).containsEntry(open.projects().get(0), 0L).containsEntry(open.projects().get(1), 1L)
                .containsEntry(open.projects().get(2), 1L);
        assertThat(repository.tallies(open.id()).confirmed()).isEqualTo(1);
        assertThat(repository.recount(open.id())).isEqualTo(Map.of(open.projects().get(1), 1L, open.projects().get(2), 1L));
    }

    @Test
    void invalidCommands_nameTheirFields_andNothingIsStored() {
        var bad = new BudgetService.BudgetCommand("B", null, "Centre Ville", -1L, new BudgetService.RuleCommand(Rule.Kind.SELECT_N, 10, 3, 2),
                new Budget.Schedule(NOW, NOW.minusSeconds(1), null, null), null);
        assertThatThrownBy(() -> budgets.create(AGENT, bad)).isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors())
                .extracting(org.territoire.shared.error.FieldError::field).contains("title", "description", "district", "amount",
                        "rule.maxProjects", "rule.minSharePercent", "schedule.voteOpensAt", "schedule.voteClosesAt"));
        assertThat(repository.ids()).isEmpty();
        assertThatThrownBy(() -> budgets.create(resident("r", "centre"), command(null, KNAPSACK, false))).isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void aBallot_isStoredUnderAPseudonym_neverUnderTheAccount() {
        Voting v = voting("centre", KNAPSACK, false, 10_000);
        budgets.saveDraft(resident("alice-account", "centre"), v.id(), new BudgetService.BallotCommand(v.projects()));

        assertThat(repository.ballot(v.id(), "alice-account")).isEmpty();
        assertThat(repository.ballot(v.id(), BudgetService.pseudonym(v.id(), "alice-account"))).isPresent();
        assertThat(BudgetService.pseudonym(v.id(), "alice-account")).doesNotContain("alice").hasSize(64);
    }

    @Test
    void confirming_publishesAReceiptWithoutTheChoices_andTheSweepRemindsOnlyUnconfirmedDrafts_once() {
        Voting v = voting("centre", KNAPSACK, true, 30_000, 40_000);
        budgets.saveDraft(resident("left", "centre"), v.id(), new BudgetService.BallotCommand(List.of(v.projects().get(0))));
        budgets.saveDraft(resident("done", "centre"), v.id(), new BudgetService.BallotCommand(List.of(v.projects().get(1))));
        String receipt = budgets.confirm(resident("done", "centre"), v.id()).receipt();

        assertThat(events).hasSize(1);
        assertThat(events.get(0).getKey()).isEqualTo("Budget Ballot Confirmed");
        assertThat(events.get(0).getValue()).containsEntry("budgetId", v.id()).containsEntry("receiptId", receipt)
                .containsEntry("recipients", List.of("done")).containsKeys("confirmedAt", "changeableUntil");
        assertThat(events.get(0).getValue().toString()).doesNotContain(v.projects().get(1));

        Instant closes = NOW.plus(Duration.ofDays(60));
        assertThat(budgets.remindUnconfirmedDrafts(closes.minus(Duration.ofDays(3)), Duration.ofHours(48)).reminded())
                .as("the close is further than the lead").isZero();
        var first = budgets.remindUnconfirmedDrafts(closes.minus(Duration.ofHours(24)), Duration.ofHours(48));
        var second = budgets.remindUnconfirmedDrafts(closes.minus(Duration.ofHours(23)), Duration.ofHours(48));
        assertThat(first.reminded()).isEqualTo(1);
        assertThat(second.reminded()).as("reminded once").isZero();
        assertThat(events).hasSize(2);
        assertThat(events.get(1).getKey()).isEqualTo("Budget Draft Reminder Due");
        assertThat(events.get(1).getValue()).containsEntry("budgetId", v.id()).containsEntry("recipients", List.of("left"))
                .containsEntry("closesAt", org.territoire.shared.json.Json.time(closes));
        assertThat(budgets.remindUnconfirmedDrafts(closes, Duration.ofHours(48)).budgets()).as("a closed vote is not swept").isZero();
    }
}
