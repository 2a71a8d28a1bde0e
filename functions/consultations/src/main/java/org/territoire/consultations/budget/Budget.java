package org.territoire.consultations.budget;

import java.time.Instant;
import java.util.Optional;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/**
 * A participatory budget: an amount the authority commits to the projects its residents
 * propose and choose. {@code district} null means the whole territory (every resident votes
 * there, and in their own district's budget). The phase follows from the agents' schedule and
 * the clock, as a poll's window does; results are published by an agent, follow-up opened by one.
 *
 * @param amount      what the budget may spend, in whole euros
 * @param allowChange whether a confirmed ballot may be changed until the vote closes
 */
public record Budget(String id, String title, String description, String district, long amount, Rule rule, Schedule schedule,
                     boolean allowChange, boolean scheduled, Instant resultsPublishedAt, Instant followUpAt,
                     Instant createdAt, String createdBy, long version) {

    public enum Phase { DRAFT, SCHEDULED, PROPOSALS, REVIEW, VOTE, COUNTING, RESULTS, FOLLOW_UP }

    /**
     * The boundaries agents schedule: proposals from {@code proposalsOpenAt}, review from
     * {@code reviewOpensAt}, vote from {@code voteOpensAt} until {@code voteClosesAt} (excluded).
     */
    public record Schedule(Instant proposalsOpenAt, Instant reviewOpensAt, Instant voteOpensAt, Instant voteClosesAt) {
    }

    public Phase phase(Instant now) {
        if (!scheduled) {
            return Phase.DRAFT;
        }
        if (now.isBefore(schedule.proposalsOpenAt())) {
            return Phase.SCHEDULED;
        }
        if (now.isBefore(schedule.reviewOpensAt())) {
            return Phase.PROPOSALS;
        }
        if (now.isBefore(schedule.voteOpensAt())) {
            return Phase.REVIEW;
        }
        if (now.isBefore(schedule.voteClosesAt())) {
            return Phase.VOTE;
        }
        if (resultsPublishedAt == null) {
            return Phase.COUNTING;
        }
        return followUpAt == null || now.isBefore(followUpAt) ? Phase.RESULTS : Phase.FOLLOW_UP;
    }

    /**
     * Why this caller may not propose or vote here, if they may not: verified residents (the
     * {@code resident} role, granted once residency is verified) of the budget's district, or of
     * any district for a territory-wide budget.
     */
    public Optional<String> whyNotEligible(Caller caller) {
        if (!caller.has(Role.RESIDENT)) {
            return Optional.of("only verified residents take part in a participatory budget");
        }
        if (district == null) {
            return Optional.empty();
        }
        return caller.district().filter(district::equals).isPresent() ? Optional.empty()
                : Optional.of("this budget is for residents of " + district + "; your account's district is "
                        + caller.district().orElse("not set"));
    }

    Budget withSchedule(Schedule next, boolean nowScheduled) {
        return new Budget(id, title, description, district, amount, rule, next, allowChange, nowScheduled, resultsPublishedAt, followUpAt,
                createdAt, createdBy, version + 1);
    }
}
