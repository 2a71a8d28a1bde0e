package org.territoire.consultations.budget;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a ballot selects projects, as the agents chose for the budget (Decidim's voting rules):
 * <ul>
 *   <li>{@code KNAPSACK}: any projects whose total cost fits the budget's amount, and, when
 *       {@code minSharePercent} is set, spends at least that share of it;</li>
 *   <li>{@code SELECT_N}: between {@code minProjects} and {@code maxProjects} projects, whatever
 *       they cost.</li>
 * </ul>
 * A ranked ballot is not offered (see docs/decisions.md).
 */
public record Rule(Kind kind, Integer minSharePercent, Integer minProjects, Integer maxProjects) {
    public enum Kind { KNAPSACK, SELECT_N }

    /** What a ballot is worth against this rule: the total it spends and what the budget leaves. */
    public record Tally(int projects, long total, long remaining) {
    }

    public Tally tally(List<Project> selected, long amount) {
        long total = selected.stream().mapToLong(Project::cost).sum();
        return new Tally(selected.size(), total, amount - total);
    }

    /**
     * Why a ballot of these (feasible, distinct) projects breaks the rule, if it does, with the
     * figures a client shows: the total, the remaining amount, the bounds.
     */
    public Optional<Violation> check(List<Project> selected, long amount) {
        Tally t = tally(selected, amount);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("selectedProjects", t.projects());
        facts.put("total", t.total());
        facts.put("remaining", t.remaining());
        if (t.projects() == 0) {
            return Optional.of(new Violation("a ballot selects at least one project", facts));
        }
        switch (kind) {
            case KNAPSACK -> {
                if (t.total() > amount) {
                    return Optional.of(new Violation("the selected projects cost " + t.total() + " €, more than the budget of " + amount + " €", facts));
                }
                long minimum = minimumSpend(amount);
                if (t.total() < minimum) {
                    facts.put("minimumTotal", minimum);
                    return Optional.of(new Violation("the selected projects cost " + t.total() + " €; this budget asks to spend at least "
                            + minimum + " € (" + minSharePercent + " %)", facts));
                }
            }
            case SELECT_N -> {
                if (t.projects() < minProjects || t.projects() > maxProjects) {
                    facts.put("minProjects", minProjects);
                    facts.put("maxProjects", maxProjects);
                    return Optional.of(new Violation("select between " + minProjects + " and " + maxProjects + " projects; "
                            + t.projects() + " are selected", facts));
                }
            }
        }
        return Optional.empty();
    }

    /** The least a knapsack ballot spends: the share of the amount, rounded up to the euro. */
    public long minimumSpend(long amount) {
        return minSharePercent == null ? 0 : (amount * minSharePercent + 99) / 100;
    }

    public record Violation(String reason, Map<String, Object> facts) {
    }
}
