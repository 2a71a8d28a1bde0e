package org.territoire.consultations.budget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The budget's results: the projects on the ballot ranked by votes, taken in that order while
 * they fit what remains of the amount. A project that does not fit is skipped and the
 * selection goes on with the next ones, so a cheaper project ranked below it may still be
 * selected (the common rule of participatory budgets, Decidim's included).
 *
 * <p>Ties are broken deterministically, so that a recount always gives the same winners:
 * more votes first; at equal votes the cheaper project (it leaves more for the others); at
 * equal votes and cost, the earlier submitted; last, the smaller id.
 */
public final class Winners {
    private Winners() {
    }

    public enum Outcome { SELECTED, SKIPPED_DOES_NOT_FIT, NOT_SELECTED }

    public record Ranked(Project project, long votes, int rank, Outcome outcome, long remainingAfter) {
    }

    public static final Comparator<Ranked> ORDER = Comparator.<Ranked>comparingLong(r -> -r.votes())
            .thenComparingLong(r -> r.project().cost())
            .thenComparing(r -> r.project().createdAt())
            .thenComparing(r -> r.project().id());

    /**
     * Ranks the projects on the ballot and selects the winners within {@code amount}. A project
     * with no vote is never selected: the residents did not choose it.
     */
    public static List<Ranked> select(List<Project> projects, Map<String, Long> votes, long amount) {
        List<Ranked> ranked = new ArrayList<>();
        for (Project p : projects) {
            if (p.onBallot()) {
                ranked.add(new Ranked(p, votes.getOrDefault(p.id(), 0L), 0, Outcome.NOT_SELECTED, 0));
            }
        }
        ranked.sort(ORDER);
        long remaining = amount;
        List<Ranked> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            Ranked r = ranked.get(i);
            Outcome outcome;
            if (r.votes() == 0) {
                outcome = Outcome.NOT_SELECTED;
            } else if (r.project().cost() <= remaining) {
                outcome = Outcome.SELECTED;
                remaining -= r.project().cost();
            } else {
                outcome = Outcome.SKIPPED_DOES_NOT_FIT;
            }
            out.add(new Ranked(r.project(), r.votes(), i + 1, outcome, remaining));
        }
        return out;
    }
}
