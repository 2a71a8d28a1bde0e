package org.territoire.consultations.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A project a resident proposed for a budget. Its author is kept only as a pseudonym in the
 * budget (never shown). The agents' review decides whether it goes to the vote: feasible with
 * an estimated cost (then {@link #cost()} is that estimate), unfeasible with a public reason,
 * or merged into another project it duplicates. Once selected, the follow-up records its
 * implementation and dated updates.
 */
public record Project(String budgetId, String id, String title, String description, Location location, long proposedCost,
                      String authorPseudonym, Review review, Implementation implementation, List<Update> updates,
                      Instant createdAt, long version) {

    public Project {
        updates = updates == null ? List.of() : List.copyOf(updates);
    }

    public record Location(double latitude, double longitude, String address) {
    }

    public enum Status { SUBMITTED, FEASIBLE, UNFEASIBLE, MERGED }

    /** The agents' decision: a public reason always; the estimate when feasible; the target when merged. */
    public record Review(Status status, String reason, Long estimatedCost, String mergedInto, Instant at) {
    }

    public enum Progress { PLANNED, IN_PROGRESS, DONE, CANCELLED }

    /** Where a selected project stands (Decidim's "accountability"). */
    public record Implementation(Progress status, int percent, Instant at) {
    }

    /** A dated step of the implementation, as the agents tell it: {@code date} the day it happened. */
    public record Update(LocalDate date, String text, Instant recordedAt) {
    }

    public Status status() {
        return review == null ? Status.SUBMITTED : review.status();
    }

    /** On the ballot: reviewed feasible (a merged project's votes go to the one it joined). */
    public boolean onBallot() {
        return status() == Status.FEASIBLE;
    }

    /** What it costs for the vote and the results: the agents' estimate once feasible, the proposer's figure before. */
    public long cost() {
        return review != null && review.estimatedCost() != null ? review.estimatedCost() : proposedCost;
    }
}
