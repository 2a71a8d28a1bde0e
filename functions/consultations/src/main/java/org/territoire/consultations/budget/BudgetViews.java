package org.territoire.consultations.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the API shows of budgets, projects and ballots: never an author, never a voter. */
public final class BudgetViews {
    private BudgetViews() {
    }

    public record BudgetView(String id, String title, String description, String district, long amount, Rule rule,
                             Budget.Schedule schedule, boolean allowChange, Budget.Phase phase, Instant resultsPublishedAt,
                             Instant followUpAt, Instant createdAt, long version) {
        static BudgetView of(Budget b, Instant now) {
            return new BudgetView(b.id(), b.title(), b.description(), b.district(), b.amount(), b.rule(), b.schedule(), b.allowChange(),
                    b.phase(now), b.resultsPublishedAt(), b.followUpAt(), b.createdAt(), b.version());
        }
    }

    public record ReviewView(Project.Status status, String reason, Long estimatedCost, String mergedInto, Instant at) {
    }

    public record UpdateView(LocalDate date, String text) {
    }

    public record ProjectView(String budgetId, String id, String title, String description, Project.Location location, long proposedCost,
                              long cost, Project.Status status, ReviewView review, Project.Implementation implementation,
                              List<UpdateView> updates, Instant createdAt) {
        static ProjectView of(Project p) {
            Project.Review r = p.review();
            return new ProjectView(p.budgetId(), p.id(), p.title(), p.description(), p.location(), p.proposedCost(), p.cost(), p.status(),
                    r == null ? null : new ReviewView(r.status(), r.reason(), r.estimatedCost(), r.mergedInto(), r.at()),
                    p.implementation(), p.updates().stream().map(u -> new UpdateView(u.date(), u.text())).toList(), p.createdAt());
        }
    }

    /**
     * One's own ballot: the draft being built with what it costs and what remains, whether it
     * may be confirmed as it stands ({@code problem} says why not), and what was confirmed, with
     * its receipt. {@code status} is DRAFT (never confirmed), CONFIRMED, or CHANGED (confirmed,
     * and a different draft saved since: the confirmed one still counts).
     */
    public record BallotView(String budgetId, String status, List<String> projectIds, long total, long remaining, String problem,
                             List<String> confirmedProjectIds, String receipt, Instant savedAt, Instant confirmedAt, boolean canChange) {
    }

    /** Started and confirmed ballots, for agents: the share confirmed says how many drafts were left. */
    public record ParticipationView(String budgetId, long started, long confirmed, double confirmedShare, Budget.Phase phase) {
    }

    public record ResultRow(String projectId, String title, long cost, long votes, int rank, Winners.Outcome outcome) {
    }

    /** Results of a budget: every project on the ballot ranked, which were selected, what was spent. */
    public record ResultsView(String budgetId, String title, String district, long amount, Rule.Kind rule, Budget.Phase phase,
                              long ballots, long spent, long remaining, List<ResultRow> projects, Instant publishedAt) {
    }
}
