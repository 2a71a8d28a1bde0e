package org.territoire.consultations.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.shared.page.Page;

/** The budget port in memory, each method atomic as its DynamoDB transaction is, with the same conditions. */
final class InMemoryBudgetRepository implements BudgetRepository {
    private final Map<String, Budget> budgets = new LinkedHashMap<>();
    private final Map<String, Map<String, Project>> projects = new HashMap<>();
    private final Map<String, Map<String, StoredBallot>> ballots = new HashMap<>();
    private final Map<String, long[]> counts = new HashMap<>();
    private final Map<String, Map<String, Long>> votes = new HashMap<>();
    /** budget → account → reminded (the DRAFTER# markers). */
    private final Map<String, Map<String, Boolean>> drafters = new HashMap<>();
    final Set<String> erased = new java.util.HashSet<>();

    @Override
    public synchronized void create(Budget budget) {
        budgets.put(budget.id(), budget);
    }

    @Override
    public synchronized Optional<Budget> find(String id) {
        return Optional.ofNullable(budgets.get(id));
    }

    @Override
    public synchronized boolean replace(Budget next, Budget read) {
        Budget current = budgets.get(next.id());
        if (current == null || current.version() != read.version()) {
            return false;
        }
        budgets.put(next.id(), next);
        return true;
    }

    @Override
    public synchronized boolean publishResults(String id, Instant now) {
        Budget b = budgets.get(id);
        if (b == null || !b.scheduled() || b.schedule().voteClosesAt().isAfter(now) || b.resultsPublishedAt() != null) {
            return false;
        }
        budgets.put(id, new Budget(b.id(), b.title(), b.description(), b.district(), b.amount(), b.rule(), b.schedule(), b.allowChange(),
                true, now, b.followUpAt(), b.createdAt(), b.createdBy(), b.version() + 1));
        return true;
    }

    @Override
    public synchronized Page<Budget> list(boolean withDrafts, int limit, Optional<String> token) {
        return new Page<>(budgets.values().stream().filter(b -> withDrafts || b.scheduled()).limit(limit).toList(), null);
    }

    @Override
    public synchronized boolean addProject(Project project, String accountId, Instant now) {
        if (erased.contains(accountId) || budgets.get(project.budgetId()).phase(now) != Budget.Phase.PROPOSALS) {
            return false;
        }
        projects.computeIfAbsent(project.budgetId(), k -> new LinkedHashMap<>()).put(project.id(), project);
        return true;
    }

    @Override
    public synchronized List<Project> projects(String budgetId) {
        return List.copyOf(projects.getOrDefault(budgetId, Map.of()).values());
    }

    @Override
    public synchronized Optional<Project> project(String budgetId, String projectId) {
        return Optional.ofNullable(projects.getOrDefault(budgetId, Map.of()).get(projectId));
    }

    @Override
    public synchronized boolean review(Project next, long expectedVersion, Instant now) {
        if (budgets.get(next.budgetId()).phase(now) != Budget.Phase.REVIEW) {
            return false;
        }
        return followUp(next, expectedVersion);
    }

    @Override
    public synchronized boolean followUp(Project next, long expectedVersion) {
        Project current = projects.get(next.budgetId()).get(next.id());
        if (current.version() != expectedVersion) {
            return false;
        }
        projects.get(next.budgetId()).put(next.id(), next);
        return true;
    }

    @Override
    public synchronized boolean saveDraft(Budget budget, String accountId, String pseudonym, Optional<StoredBallot> before, List<String> draft,
                                          Instant now) {
        if (!open(budget.id(), now) || erased.contains(accountId)) {
            return false;
        }
        Map<String, StoredBallot> mine = ballots.computeIfAbsent(budget.id(), k -> new HashMap<>());
        StoredBallot current = mine.get(pseudonym);
        if (before.isEmpty() ? current != null : current == null || current.version() != before.get().version()) {
            return false;
        }
        if (current == null) {
            counts.computeIfAbsent(budget.id(), k -> new long[2])[0]++;
            mine.put(pseudonym, new StoredBallot(draft, null, null, now, null, 0));
            drafters.computeIfAbsent(budget.id(), k -> new LinkedHashMap<>()).put(accountId, false);
        } else {
            mine.put(pseudonym, new StoredBallot(draft, current.confirmed(), current.receipt(), now, current.confirmedAt(), current.version() + 1));
        }
        return true;
    }

    @Override
    public synchronized boolean confirm(Budget budget, String accountId, String pseudonym, StoredBallot before, String receipt, Instant now) {
        if (!open(budget.id(), now) || erased.contains(accountId)) {
            return false;
        }
        StoredBallot current = ballots.getOrDefault(budget.id(), Map.of()).get(pseudonym);
        if (current == null || current.version() != before.version()) {
            return false;
        }
        Map<String, Long> tally = votes.computeIfAbsent(budget.id(), k -> new HashMap<>());
        if (current.confirmed() == null) {
            counts.get(budget.id())[1]++;
            drafters.getOrDefault(budget.id(), new HashMap<>()).remove(accountId);
        } else {
            current.confirmed().forEach(p -> tally.merge(p, -1L, Long::sum));
        }
        current.draft().forEach(p -> tally.merge(p, 1L, Long::sum));
        ballots.get(budget.id()).put(pseudonym, new StoredBallot(current.draft(), current.draft(), receipt, current.savedAt(), now,
                current.version() + 1));
        return true;
    }

    @Override
    public synchronized Optional<StoredBallot> ballot(String budgetId, String pseudonym) {
        return Optional.ofNullable(ballots.getOrDefault(budgetId, Map.of()).get(pseudonym));
    }

    @Override
    public synchronized Tallies tallies(String budgetId) {
        long[] c = counts.getOrDefault(budgetId, new long[2]);
        return new Tallies(c[0], c[1], Map.copyOf(votes.getOrDefault(budgetId, Map.of())));
    }

    /** What a recount of the stored ballots gives, project by project. */
    synchronized Map<String, Long> recount(String budgetId) {
        Map<String, Long> recount = new HashMap<>();
        ballots.getOrDefault(budgetId, Map.of()).values().stream().filter(b -> b.confirmed() != null)
                .forEach(b -> b.confirmed().forEach(p -> recount.merge(p, 1L, Long::sum)));
        return recount;
    }

    private boolean open(String budgetId, Instant now) {
        return budgets.get(budgetId).phase(now) == Budget.Phase.VOTE;
    }

    List<String> ids() {
        return new ArrayList<>(budgets.keySet());
    }

    @Override
    public synchronized List<Budget> votesClosingBetween(Instant from, Instant until) {
        return budgets.values().stream().filter(b -> b.scheduled() && b.schedule().voteClosesAt().isAfter(from)
                && !b.schedule().voteClosesAt().isAfter(until)).toList();
    }

    @Override
    public synchronized List<String> unremindedDrafters(String budgetId) {
        return drafters.getOrDefault(budgetId, Map.of()).entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized boolean markReminded(String budgetId, String accountId, Instant now) {
        Map<String, Boolean> mine = drafters.getOrDefault(budgetId, new HashMap<>());
        return Boolean.FALSE.equals(mine.get(accountId)) && mine.put(accountId, true) != null;
    }
}
