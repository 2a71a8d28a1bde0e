package org.territoire.consultations.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ballot rules and the winner selection, without storage. */
@Tag("unit")
class BudgetRulesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    static Project project(String id, long cost, int submittedMinute) {
        return new Project("b", id, "Projet " + id, "Un projet pour le quartier", new Project.Location(45.76, 4.83, null), cost, "author",
                new Project.Review(Project.Status.FEASIBLE, "Faisable", cost, null, T0), null, List.of(), T0.plusSeconds(60L * submittedMinute), 1);
    }

    private static final Rule KNAPSACK = new Rule(Rule.Kind.KNAPSACK, null, null, null);
    private static final Rule KNAPSACK_80 = new Rule(Rule.Kind.KNAPSACK, 80, null, null);
    private static final Rule TWO_TO_THREE = new Rule(Rule.Kind.SELECT_N, null, 2, 3);

    @Test
    void knapsack_acceptsATotalUpToTheAmount_exactly_andRefusesOneEuroMore() {
        assertThat(KNAPSACK.check(List.of(project("a", 60_000, 0), project("b", 40_000, 1)), 100_000)).isEmpty();
        var over = KNAPSACK.check(List.of(project("a", 60_000, 0), project("b", 40_001, 1)), 100_000);
        assertThat(over).isPresent();
        assertThat(over.get().reason()).contains("100001 €").contains("100000 €");
        assertThat(over.get().facts()).containsEntry("total", 100_001L).containsEntry("remaining", -1L);
    }

    @Test
    void knapsack_withAMinimumShare_refusesABallotThatSpendsLess_roundingTheMinimumUp() {
        assertThat(KNAPSACK_80.minimumSpend(100_001)).isEqualTo(80_001);
        assertThat(KNAPSACK_80.check(List.of(project("a", 80_000, 0)), 100_000)).isEmpty();
        var under = KNAPSACK_80.check(List.of(project("a", 79_999, 0)), 100_000);
        assertThat(under).isPresent();
        assertThat(under.get().facts()).containsEntry("minimumTotal", 80_000L);
        assertThat(KNAPSACK_80.check(List.of(project("a", 100_001, 0)), 100_000)).as("still never over the amount").isPresent();
    }

    @Test
    void anEmptyBallot_isNeverValid() {
        assertThat(KNAPSACK.check(List.of(), 100_000)).isPresent();
        assertThat(new Rule(Rule.Kind.SELECT_N, null, 1, 3).check(List.of(), 100_000)).isPresent();
    }

    @Test
    void selectN_acceptsBetweenTheMinimumAndTheMaximum_whateverTheyCost() {
        Project a = project("a", 900_000, 0);
        Project b = project("b", 900_000, 1);
        Project c = project("c", 1, 2);
        Project d = project("d", 1, 3);
        assertThat(TWO_TO_THREE.check(List.of(a), 100_000)).isPresent();
        assertThat(TWO_TO_THREE.check(List.of(a, b), 100_000)).as("cost does not matter").isEmpty();
        assertThat(TWO_TO_THREE.check(List.of(a, b, c), 100_000)).isEmpty();
        var four = TWO_TO_THREE.check(List.of(a, b, c, d), 100_000);
        assertThat(four).isPresent();
        assertThat(four.get().facts()).containsEntry("maxProjects", 3).containsEntry("selectedProjects", 4);
    }

    @Test
    void winners_areTakenByVotes_whileTheyFit_aProjectThatDoesNotFitIsSkipped_andACheaperOneBelowItIsTaken() {
        var ranked = Winners.select(List.of(project("a", 50_000, 0), project("b", 60_000, 1), project("c", 30_000, 2), project("d", 20_000, 3)),
                Map.of("a", 40L, "b", 30L, "c", 20L, "d", 10L), 100_000);

        assertThat(ranked).extracting(r -> r.project().id()).containsExactly("a", "b", "c", "d");
        assertThat(ranked).extracting(Winners.Ranked::outcome).containsExactly(Winners.Outcome.SELECTED,
                Winners.Outcome.SKIPPED_DOES_NOT_FIT, Winners.Outcome.SELECTED, Winners.Outcome.SELECTED);
        assertThat(ranked.get(3).remainingAfter()).isZero();
    }

    @Test
    void winners_atEqualVotes_theCheaperFirst_thenTheEarlierSubmitted_thenTheSmallerId() {
        Project early = project("z-early", 40_000, 0);
        Project late = project("a-late", 40_000, 5);
        Project cheap = project("m-cheap", 30_000, 9);
        Project sameTimeA = project("p1", 10_000, 7);
        Project sameTimeB = project("p2", 10_000, 7);

        var ranked = Winners.select(List.of(late, sameTimeB, early, cheap, sameTimeA),
                Map.of("z-early", 5L, "a-late", 5L, "m-cheap", 5L, "p1", 2L, "p2", 2L), 100_000);

        assertThat(ranked).extracting(r -> r.project().id()).containsExactly("m-cheap", "z-early", "a-late", "p1", "p2");
        assertThat(ranked).extracting(Winners.Ranked::outcome).containsExactly(Winners.Outcome.SELECTED, Winners.Outcome.SELECTED,
                Winners.Outcome.SKIPPED_DOES_NOT_FIT, Winners.Outcome.SELECTED, Winners.Outcome.SELECTED);
        assertThat(ranked).extracting(Winners.Ranked::rank).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void winners_leaveOutWhatIsNotOnTheBallot_andNeverSelectAProjectWithoutVotes() {
        Project merged = new Project("b", "m", "Doublon", "Le même projet", new Project.Location(45, 4, null), 10, "x",
                new Project.Review(Project.Status.MERGED, "Doublon de a", null, "a", T0), null, List.of(), T0, 1);
        Project unreviewed = new Project("b", "u", "Pas relu", "Un projet", new Project.Location(45, 4, null), 10, "x", null, null, List.of(), T0, 0);

        var ranked = Winners.select(List.of(project("a", 10, 0), merged, unreviewed, project("none", 10, 1)), Map.of("a", 3L, "m", 9L), 100);

        assertThat(ranked).extracting(r -> r.project().id()).containsExactly("a", "none");
        assertThat(ranked.get(1).outcome()).isEqualTo(Winners.Outcome.NOT_SELECTED);
    }
}
