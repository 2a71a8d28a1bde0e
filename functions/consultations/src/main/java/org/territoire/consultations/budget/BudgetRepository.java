package org.territoire.consultations.budget;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.page.Page;

/** Budgets, their projects, ballots under pseudonyms and the sharded tallies. Every method is one conditional write or transaction. */
public interface BudgetRepository {

    /**
     * A ballot as stored under its pseudonym: the draft the resident is building, and what they
     * last confirmed (null until they confirm), with its receipt.
     */
    record StoredBallot(List<String> draft, List<String> confirmed, String receipt, Instant savedAt, Instant confirmedAt, long version) {
    }

    /** Sums of the tally shards: ballots started (a draft saved), ballots confirmed, and votes per project. */
    record Tallies(long started, long confirmed, Map<String, Long> votes) {
    }

    void create(Budget budget);

    Optional<Budget> find(String id);

    /**
     * Replaces {@code current} (if it still has its version) by {@code next}; in the same transaction, when the vote's
     * opening changes (scheduled, opened early), its vote-opening marker goes into the openings' index, and when only its
     * close does, the marker's close follows (docs/decisions.md, "Consultation Opened").
     */
    boolean replace(Budget next, Budget current);

    /** Marks results published if the vote closed before {@code now} and they were not yet. */
    boolean publishResults(String id, Instant now);

    Page<Budget> list(boolean withDrafts, int limit, Optional<String> token);

    /** Adds a project if the budget is in its proposals phase at {@code now}, in the name of a live account. */
    boolean addProject(Project project, String accountId, Instant now);

    List<Project> projects(String budgetId);

    Optional<Project> project(String budgetId, String projectId);

    /** Records a review if the project still has {@code expectedVersion} and the budget is in review at {@code now}. */
    boolean review(Project next, long expectedVersion, Instant now);

    /** Records the follow-up of a project (implementation, updates) if it still has {@code expectedVersion} and results are published. */
    boolean followUp(Project next, long expectedVersion);

    /**
     * Saves a draft, in one transaction conditioned on the vote being open at {@code now}: the
     * first one creates the ballot (if none exists under this pseudonym) and counts it started;
     * a later one needs {@code before}'s version. Counts no vote.
     */
    boolean saveDraft(Budget budget, String accountId, String pseudonym, Optional<StoredBallot> before, List<String> draft, Instant now);

    /**
     * Confirms the stored draft {@code before}, in one transaction conditioned on the vote being
     * open and on the ballot still having {@code before}'s version: per-project totals move by the
     * difference between what was confirmed and the draft, on the ballot's tally shard, and the
     * first confirmation counts the ballot confirmed.
     */
    boolean confirm(Budget budget, String accountId, String pseudonym, StoredBallot before, String receipt, Instant now);

    Optional<StoredBallot> ballot(String budgetId, String pseudonym);

    Tallies tallies(String budgetId);

    /** Scheduled budgets whose vote closes after {@code from} and no later than {@code until}. */
    List<Budget> votesClosingBetween(Instant from, Instant until);

    /** The accounts with a draft started and never confirmed in this budget, not reminded yet. */
    List<String> unremindedDrafters(String budgetId);

    /** Marks the account's unconfirmed draft reminded, if it still is unconfirmed and was not reminded: one conditional write. */
    boolean markReminded(String budgetId, String accountId, Instant now);
}
