package org.territoire.consultations.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.territoire.consultations.budget.BudgetViews.BallotView;
import org.territoire.consultations.budget.BudgetViews.BudgetView;
import org.territoire.consultations.budget.BudgetViews.ParticipationView;
import org.territoire.consultations.budget.BudgetViews.ProjectView;
import org.territoire.consultations.budget.BudgetViews.ResultRow;
import org.territoire.consultations.budget.BudgetViews.ResultsView;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Participatory budgets: agents create and schedule them, residents of the scope propose
 * projects, agents review them, residents build a draft ballot and confirm it, agents publish
 * the results and follow the selected projects. Ballots are stored under a pseudonym per
 * budget; every write that counts is one transaction conditioned on the phase stored with the
 * budget, so that the clock of the request cannot reopen a closed vote.
 */
public final class BudgetService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BudgetService.class);
    static final long MAX_AMOUNT = 1_000_000_000L;
    static final int MAX_PROJECTS = 300;
    static final int MAX_UPDATES = 100;
    static final int HORIZON_YEARS = 10;

    public record BudgetCommand(String title, String description, String district, Long amount, RuleCommand rule,
                                Budget.Schedule schedule, Boolean allowChange) {
    }

    public record RuleCommand(Rule.Kind kind, Integer minSharePercent, Integer minProjects, Integer maxProjects) {
    }

    public record ProjectCommand(String title, String description, Project.Location location, Long cost) {
    }

    public record ReviewCommand(Project.Status status, String reason, Long estimatedCost, String mergedInto) {
    }

    public record BallotCommand(List<String> projectIds) {
    }

    public record ImplementationCommand(Project.Progress status, Integer percent) {
    }

    public record UpdateCommand(LocalDate date, String text) {
    }

    private final BudgetRepository repository;
    private final Clock clock;
    private org.territoire.shared.events.DomainEvents events = org.territoire.shared.events.DomainEvents.NONE;

    /** Budget events for the notifications capability (a receipt, a reminder), published after the committed write. */
    public BudgetService publishingTo(org.territoire.shared.events.DomainEvents events) {
        this.events = events;
        return this;
    }

    public BudgetService(BudgetRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public BudgetView create(Caller caller, BudgetCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Instant now = clock.instant();
        Budget b = build(command, now, caller.id());
        repository.create(b);
        return BudgetView.of(b, now);
    }

    /** Draft → scheduled: its phases follow the clock from now on. */
    public BudgetView schedule(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Budget b = find(id);
        if (b.scheduled()) {
            throw DomainError.conflict("the budget is already scheduled");
        }
        Instant now = clock.instant();
        new Validation().check(b.schedule().voteClosesAt().isAfter(now), "schedule.voteClosesAt",
                "is in the past; the vote must close in the future").throwIfInvalid();
        return save(b.withSchedule(b.schedule(), true), b, now);
    }

    /**
     * Ends the current phase now, as an agent decides (proposals closed early, the vote closed
     * once the ballot boxes are counted...): the boundary ending it moves to now; the later ones
     * stay, or move to now if they were earlier. From results, opens the follow-up.
     */
    public BudgetView nextPhase(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Budget b = find(id);
        Instant now = clock.instant();
        Budget.Schedule s = b.schedule();
        Budget next = switch (b.phase(now)) {
            case SCHEDULED -> b.withSchedule(new Budget.Schedule(now, s.reviewOpensAt(), s.voteOpensAt(), s.voteClosesAt()), true);
            case PROPOSALS -> b.withSchedule(new Budget.Schedule(s.proposalsOpenAt(), now, s.voteOpensAt(), s.voteClosesAt()), true);
            case REVIEW -> b.withSchedule(new Budget.Schedule(s.proposalsOpenAt(), s.reviewOpensAt(), now, s.voteClosesAt()), true);
            case VOTE -> b.withSchedule(new Budget.Schedule(s.proposalsOpenAt(), s.reviewOpensAt(), s.voteOpensAt(), now), true);
            case RESULTS -> new Budget(b.id(), b.title(), b.description(), b.district(), b.amount(), b.rule(), s, b.allowChange(), true,
                    b.resultsPublishedAt(), now, b.createdAt(), b.createdBy(), b.version() + 1);
            case DRAFT -> throw DomainError.conflict("the budget is a draft: schedule it first");
            case COUNTING -> throw DomainError.conflict("the vote is closed: publish the results to move on");
            case FOLLOW_UP -> throw DomainError.conflict("the follow-up is the last phase");
        };
        return save(next, b, now);
    }

    private BudgetView save(Budget next, Budget current, Instant now) {
        if (!repository.replace(next, current)) {
            throw DomainError.conflict("the budget changed meanwhile; read it again");
        }
        return BudgetView.of(next, now);
    }

    public BudgetView publishResults(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Budget b = find(id);
        Instant now = clock.instant();
        Budget.Phase phase = b.phase(now);
        if (phase != Budget.Phase.COUNTING) {
            throw DomainError.conflict(phase == Budget.Phase.RESULTS || phase == Budget.Phase.FOLLOW_UP ? "results are already published"
                    : "results are published once the vote has closed (the budget is in its " + phase.name().toLowerCase() + " phase)");
        }
        if (!repository.publishResults(id, now)) {
            throw DomainError.conflict("results were published meanwhile");
        }
        return BudgetView.of(find(id), now);
    }

    public BudgetView get(Caller caller, String id) {
        return BudgetView.of(visible(caller, id), clock.instant());
    }

    public Page<BudgetView> list(Caller caller, int limit, Optional<String> token) {
        Instant now = clock.instant();
        return repository.list(caller.hasAny(Role.AGENT, Role.ADMIN), limit, token).map(b -> BudgetView.of(b, now));
    }

    public ProjectView submit(Caller caller, String id, ProjectCommand command) {
        Budget b = visible(caller, id);
        b.whyNotEligible(caller).ifPresent(reason -> {
            throw DomainError.forbidden(reason);
        });
        Instant now = clock.instant();
        requirePhase(b, now, Budget.Phase.PROPOSALS, "projects are proposed during the proposals phase");
        Validation v = new Validation().text("title", command.title(), 3, 200, true).text("description", command.description(), 10, 5000, true)
                .require("location", command.location()).require("cost", command.cost()).range("cost", command.cost(), 1, b.amount());
        location(v, "location", command.location());
        v.throwIfInvalid();
        Project.Location at = command.location();
        Project p = new Project(b.id(), UUID.randomUUID().toString(), command.title().strip(), command.description().strip(),
                new Project.Location(at.latitude(), at.longitude(), at.address() == null ? null : at.address().strip()), command.cost(),
                pseudonym(b.id(), caller.id()), null, null, List.of(), now, 0);
        if (!repository.addProject(p, caller.id(), now)) {
            throw DomainError.conflict("the proposals phase has just closed");
        }
        return ProjectView.of(p);
    }

    public List<ProjectView> projects(Caller caller, String id) {
        Budget b = visible(caller, id);
        return repository.projects(b.id()).stream().sorted(java.util.Comparator.comparing(Project::createdAt).thenComparing(Project::id))
                .map(ProjectView::of).toList();
    }

    public ProjectView project(Caller caller, String id, String projectId) {
        Budget b = visible(caller, id);
        return ProjectView.of(findProject(b.id(), projectId));
    }

    /** The agents' review, during the review phase: it can be revised until the vote opens. */
    public ProjectView review(Caller caller, String id, String projectId, ReviewCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Budget b = find(id);
        Instant now = clock.instant();
        requirePhase(b, now, Budget.Phase.REVIEW, "projects are reviewed during the review phase");
        Project p = findProject(id, projectId);
        Validation v = new Validation().require("status", command.status()).text("reason", command.reason(), 3, 2000, true);
        v.check(command.status() != Project.Status.SUBMITTED, "status", "must be FEASIBLE, UNFEASIBLE or MERGED");
        if (command.status() == Project.Status.FEASIBLE) {
            v.require("estimatedCost", command.estimatedCost()).range("estimatedCost", command.estimatedCost(), 1, b.amount());
        } else {
            v.check(command.estimatedCost() == null, "estimatedCost", "only a feasible project has an estimated cost");
        }
        if (command.status() == Project.Status.MERGED) {
            v.require("mergedInto", command.mergedInto()).check(!projectId.equals(command.mergedInto()), "mergedInto", "must be another project");
        } else {
            v.check(command.mergedInto() == null, "mergedInto", "only a merged project names the project it joins");
        }
        v.throwIfInvalid();
        if (command.status() == Project.Status.MERGED) {
            Project target = repository.project(id, command.mergedInto())
                    .orElseThrow(() -> DomainError.invalid("mergedInto", "is not a project of this budget"));
            if (target.status() == Project.Status.MERGED || target.status() == Project.Status.UNFEASIBLE) {
                throw DomainError.invalid("mergedInto", "must be a project that stays on the ballot (submitted or feasible)");
            }
        }
        Project next = new Project(p.budgetId(), p.id(), p.title(), p.description(), p.location(), p.proposedCost(), p.authorPseudonym(),
                new Project.Review(command.status(), command.reason().strip(), command.estimatedCost(), command.mergedInto(), now),
                p.implementation(), p.updates(), p.createdAt(), p.version() + 1);
        if (!repository.review(next, p.version(), now)) {
            throw DomainError.conflict("the project was reviewed meanwhile, or the review phase has just closed; read it again");
        }
        return ProjectView.of(next);
    }

    /** Saves the resident's selection as they build it: it counts for nothing until confirmed. */
    public BallotView saveDraft(Caller caller, String id, BallotCommand command) {
        Budget b = votable(caller, id);
        Map<String, Project> ballot = ballotProjects(b.id());
        List<String> ids = command.projectIds();
        Validation v = new Validation().size("projectIds", ids, 0, ballot.size());
        List<String> chosen = ids == null ? List.of() : ids;
        for (int i = 0; i < chosen.size(); i++) {
            v.check(chosen.get(i) != null && ballot.containsKey(chosen.get(i)), "projectIds[" + i + "]", "is not a project on this ballot");
        }
        v.check(new HashSet<>(chosen).size() == chosen.size(), "projectIds", "are not all different");
        v.throwIfInvalid();
        String pseudonym = pseudonym(b.id(), caller.id());
        Optional<BudgetRepository.StoredBallot> before = repository.ballot(b.id(), pseudonym);
        if (before.isPresent() && before.get().confirmed() != null && !b.allowChange()) {
            throw DomainError.ruleViolated("this budget does not allow changing a confirmed ballot");
        }
        Instant now = clock.instant();
        if (!repository.saveDraft(b, caller.id(), pseudonym, before, List.copyOf(chosen), now)) {
            throw b.phase(clock.instant()) == Budget.Phase.VOTE ? DomainError.conflict("your ballot changed meanwhile; read it again")
                    : DomainError.conflict("the vote closed at " + b.schedule().voteClosesAt());
        }
        return view(b, repository.ballot(b.id(), pseudonym).orElseThrow(), ballot, now);
    }

    public BallotView myBallot(Caller caller, String id) {
        Budget b = visible(caller, id);
        var stored = repository.ballot(b.id(), pseudonym(b.id(), caller.id()))
                .orElseThrow(() -> DomainError.notFound("you have no ballot in this budget yet; PUT your selection first"));
        return view(b, stored, ballotProjects(b.id()), clock.instant());
    }

    /**
     * Confirms the saved draft: checked against the budget's rule, then counted in one
     * transaction (totals moved by the difference from what was confirmed before). Answers a
     * fresh receipt id.
     */
    public BallotView confirm(Caller caller, String id) {
        Budget b = votable(caller, id);
        String pseudonym = pseudonym(b.id(), caller.id());
        BudgetRepository.StoredBallot before = repository.ballot(b.id(), pseudonym)
                .orElseThrow(() -> DomainError.notFound("you have no draft to confirm; PUT your selection first"));
        if (before.confirmed() != null && before.confirmed().equals(before.draft())) {
            throw DomainError.conflict("this ballot is already confirmed as it stands", Map.of("receipt", before.receipt()));
        }
        if (before.confirmed() != null && !b.allowChange()) {
            throw DomainError.ruleViolated("this budget does not allow changing a confirmed ballot");
        }
        Map<String, Project> ballot = ballotProjects(b.id());
        List<Project> selected = new ArrayList<>();
        for (String pid : before.draft()) {
            Project p = ballot.get(pid);
            if (p == null) {
                throw DomainError.ruleViolated("a project of your draft is no longer on the ballot; save your selection again");
            }
            selected.add(p);
        }
        b.rule().check(selected, b.amount()).ifPresent(violation -> {
            throw DomainError.ruleViolated(violation.reason(), violation.facts());
        });
        Instant now = clock.instant();
        String receipt = UUID.randomUUID().toString();
        if (!repository.confirm(b, caller.id(), pseudonym, before, receipt, now)) {
            if (b.phase(clock.instant()) != Budget.Phase.VOTE) {
                throw DomainError.conflict("the vote closed at " + b.schedule().voteClosesAt());
            }
            var current = repository.ballot(b.id(), pseudonym).orElseThrow();
            throw current.confirmed() != null && current.confirmed().equals(current.draft())
                    ? DomainError.conflict("this ballot is already confirmed as it stands", Map.of("receipt", current.receipt()))
                    : DomainError.conflict("your ballot changed meanwhile; read it again");
        }
        // The receipt by mail: that the ballot was confirmed and its receipt id, never what was chosen.
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("budgetId", b.id());
        detail.put("receiptId", receipt);
        detail.put("recipients", List.of(caller.id()));
        detail.put("confirmedAt", org.territoire.shared.json.Json.time(now));
        if (b.allowChange()) {
            detail.put("changeableUntil", org.territoire.shared.json.Json.time(b.schedule().voteClosesAt()));
        }
        events.publish("Budget Ballot Confirmed", detail);
        return view(b, repository.ballot(b.id(), pseudonym).orElseThrow(), ballot, now);
    }

    /** What a reminder sweep did: budgets closing within the lead, residents reminded, drafts it could not mark (left for the next run). */
    public record ReminderSummary(int budgets, int reminded, int failed) {
    }

    /**
     * For the scheduled sweep: each resident with a draft never confirmed in a budget whose vote
     * closes within {@code lead} is reminded once ({@link BudgetRepository#markReminded}, a
     * conditional write, so two sweeps at once remind once). The event names the budget, the
     * person and the close; not what the draft holds. A draft the store refuses to mark is
     * logged, counted and left for the next run; the others go on.
     */
    public ReminderSummary remindUnconfirmedDrafts(Instant now, Duration lead) {
        int budgets = 0;
        int reminded = 0;
        int failed = 0;
        for (Budget b : repository.votesClosingBetween(now, now.plus(lead))) {
            budgets++;
            for (String accountId : repository.unremindedDrafters(b.id())) {
                try {
                    if (!repository.markReminded(b.id(), accountId, now)) {
                        continue; // another sweep reminded them, or they confirmed meanwhile
                    }
                } catch (RuntimeException e) {
                    failed++;
                    LOG.warn("could not mark a draft of budget {} reminded: {}", b.id(), e.toString());
                    continue;
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("budgetId", b.id());
                detail.put("recipients", List.of(accountId));
                detail.put("closesAt", org.territoire.shared.json.Json.time(b.schedule().voteClosesAt()));
                events.publish("Budget Draft Reminder Due", detail);
                reminded++;
            }
        }
        return new ReminderSummary(budgets, reminded, failed);
    }

    /** For agents: how many ballots were started and how many confirmed (Decidim sees 20 to 25 % never confirmed). */
    public ParticipationView participation(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Budget b = find(id);
        var t = repository.tallies(id);
        double share = t.started() == 0 ? 0 : Math.round(t.confirmed() * 1000.0 / t.started()) / 10.0;
        return new ParticipationView(id, t.started(), t.confirmed(), share, b.phase(clock.instant()));
    }

    /** The ranked projects and the winners: agents once the vote has closed, everyone once published. */
    public ResultsView results(Caller caller, String id) {
        Budget b = visible(caller, id);
        Instant now = clock.instant();
        Budget.Phase phase = b.phase(now);
        boolean closed = phase == Budget.Phase.COUNTING || phase == Budget.Phase.RESULTS || phase == Budget.Phase.FOLLOW_UP;
        boolean agent = caller.hasAny(Role.AGENT, Role.ADMIN);
        if (!closed || !agent && phase == Budget.Phase.COUNTING) {
            throw DomainError.forbidden(closed ? "results are not published yet" : "results are counted once the vote has closed");
        }
        var tallies = repository.tallies(id);
        List<Winners.Ranked> ranked = Winners.select(repository.projects(id), tallies.votes(), b.amount());
        long spent = ranked.stream().filter(r -> r.outcome() == Winners.Outcome.SELECTED).mapToLong(r -> r.project().cost()).sum();
        return new ResultsView(b.id(), b.title(), b.district(), b.amount(), b.rule().kind(), phase, tallies.confirmed(), spent,
                b.amount() - spent, ranked.stream().map(r -> new ResultRow(r.project().id(), r.project().title(), r.project().cost(),
                r.votes(), r.rank(), r.outcome())).toList(), b.resultsPublishedAt());
    }

    /** Where a selected project stands, from the results' publication on. */
    public ProjectView implementation(Caller caller, String id, String projectId, ImplementationCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().require("status", command.status()).require("percent", command.percent())
                .range("percent", command.percent(), 0, 100)
                .check(command.status() != Project.Progress.DONE || command.percent() == null || command.percent() == 100, "percent",
                        "is 100 when the project is done").throwIfInvalid();
        Project p = selected(caller, id, projectId);
        Project next = withFollowUp(p, new Project.Implementation(command.status(), command.percent(), clock.instant()), p.updates());
        if (!repository.followUp(next, p.version())) {
            throw DomainError.conflict("the project changed meanwhile; read it again");
        }
        return ProjectView.of(next);
    }

    /** A dated update of a selected project's implementation: its day (not in the future) and what happened. */
    public ProjectView addUpdate(Caller caller, String id, String projectId, UpdateCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Instant now = clock.instant();
        new Validation().require("date", command.date()).text("text", command.text(), 3, 2000, true)
                .check(command.date() == null || !command.date().isAfter(LocalDate.ofInstant(now, java.time.ZoneOffset.UTC).plusDays(1)),
                        "date", "is in the future; an update tells what happened")
                .check(command.date() == null || command.date().isAfter(LocalDate.of(2000, 1, 1)), "date", "must be after 2000-01-01")
                .throwIfInvalid();
        Project p = selected(caller, id, projectId);
        if (p.updates().size() >= MAX_UPDATES) {
            throw DomainError.ruleViolated("a project keeps at most " + MAX_UPDATES + " updates");
        }
        List<Project.Update> updates = new ArrayList<>(p.updates());
        updates.add(new Project.Update(command.date(), command.text().strip(), now));
        updates.sort(java.util.Comparator.comparing(Project.Update::date).thenComparing(Project.Update::recordedAt));
        Project next = withFollowUp(p, p.implementation(), updates);
        if (!repository.followUp(next, p.version())) {
            throw DomainError.conflict("the project changed meanwhile; read it again");
        }
        return ProjectView.of(next);
    }

    private Project selected(Caller caller, String id, String projectId) {
        ResultsView results = results(caller, id);
        if (results.publishedAt() == null) {
            throw DomainError.conflict("the follow-up starts once the results are published");
        }
        Project p = findProject(id, projectId);
        boolean won = results.projects().stream().anyMatch(r -> r.projectId().equals(projectId) && r.outcome() == Winners.Outcome.SELECTED);
        if (!won) {
            throw DomainError.ruleViolated("only a selected project is followed up");
        }
        return p;
    }

    private static Project withFollowUp(Project p, Project.Implementation implementation, List<Project.Update> updates) {
        return new Project(p.budgetId(), p.id(), p.title(), p.description(), p.location(), p.proposedCost(), p.authorPseudonym(), p.review(),
                implementation, updates, p.createdAt(), p.version() + 1);
    }

    /** A resident's stable pseudonym in one budget: their ballot and their projects are never stored under their identity. */
    public static String pseudonym(String budgetId, String userId) {
        return Hashes.sha256Hex("budget:" + budgetId + ":" + userId);
    }

    private BallotView view(Budget b, BudgetRepository.StoredBallot s, Map<String, Project> ballot, Instant now) {
        List<Project> selected = s.draft().stream().map(ballot::get).filter(Objects::nonNull).toList();
        Rule.Tally tally = b.rule().tally(selected, b.amount());
        String problem = selected.size() < s.draft().size() ? "a project of this draft is no longer on the ballot"
                : b.rule().check(selected, b.amount()).map(Rule.Violation::reason).orElse(null);
        String status = s.confirmed() == null ? "DRAFT" : s.confirmed().equals(s.draft()) ? "CONFIRMED" : "CHANGED";
        boolean open = b.phase(now) == Budget.Phase.VOTE;
        return new BallotView(b.id(), status, s.draft(), tally.total(), tally.remaining(), problem, s.confirmed(), s.receipt(), s.savedAt(),
                s.confirmedAt(), open && (s.confirmed() == null || b.allowChange()));
    }

    private Map<String, Project> ballotProjects(String budgetId) {
        Map<String, Project> ballot = new LinkedHashMap<>();
        repository.projects(budgetId).stream().filter(Project::onBallot).forEach(p -> ballot.put(p.id(), p));
        return ballot;
    }

    private Budget votable(Caller caller, String id) {
        Budget b = visible(caller, id);
        b.whyNotEligible(caller).ifPresent(reason -> {
            throw DomainError.forbidden(reason);
        });
        requirePhase(b, clock.instant(), Budget.Phase.VOTE, "ballots are built and confirmed during the vote");
        return b;
    }

    private static void requirePhase(Budget b, Instant now, Budget.Phase wanted, String rule) {
        Budget.Phase phase = b.phase(now);
        if (phase != wanted) {
            throw DomainError.conflict(rule + "; the budget is in its " + phase.name().toLowerCase().replace('_', '-') + " phase",
                    Map.of("phase", phase.name()));
        }
    }

    /** The budget, once this caller may see it: drafts only to agents. */
    private Budget visible(Caller caller, String id) {
        Budget b = find(id);
        if (!b.scheduled() && !caller.hasAny(Role.AGENT, Role.ADMIN)) {
            throw DomainError.notFound("no such budget");
        }
        return b;
    }

    private Budget find(String id) {
        return repository.find(id).orElseThrow(() -> DomainError.notFound("no such budget"));
    }

    private Project findProject(String budgetId, String projectId) {
        return repository.project(budgetId, projectId).orElseThrow(() -> DomainError.notFound("no such project in this budget"));
    }

    private static void location(Validation v, String field, Project.Location at) {
        if (at != null) {
            v.range(field + ".latitude", at.latitude(), -90, 90).range(field + ".longitude", at.longitude(), -180, 180)
                    .text(field + ".address", at.address(), 1, 300, false);
        }
    }

    private static boolean within(Instant at, Instant reference) {
        Duration horizon = Duration.ofDays(366L * HORIZON_YEARS);
        return at == null || !at.isBefore(reference.minus(horizon)) && !at.isAfter(reference.plus(horizon));
    }

    private static Budget build(BudgetCommand c, Instant now, String createdBy) {
        Validation v = new Validation().text("title", c.title(), 3, 200, true).text("description", c.description(), 1, 5000, true)
                .require("amount", c.amount()).range("amount", c.amount(), 1, MAX_AMOUNT).require("rule", c.rule())
                .require("schedule", c.schedule())
                .matches("district", c.district(), "[a-z0-9][a-z0-9-]{0,63}", "must be a district id (lower-case letters, digits, dashes)");
        RuleCommand r = c.rule();
        if (r != null) {
            v.require("rule.kind", r.kind());
            if (r.kind() == Rule.Kind.KNAPSACK) {
                v.range("rule.minSharePercent", r.minSharePercent(), 1, 100)
                        .check(r.minProjects() == null && r.maxProjects() == null, "rule", "a knapsack ballot has no number of projects");
            } else if (r.kind() == Rule.Kind.SELECT_N) {
                v.require("rule.minProjects", r.minProjects()).require("rule.maxProjects", r.maxProjects())
                        .range("rule.minProjects", r.minProjects(), 1, MAX_PROJECTS).range("rule.maxProjects", r.maxProjects(), 1, MAX_PROJECTS)
                        .check(r.minProjects() == null || r.maxProjects() == null || r.minProjects() <= r.maxProjects(), "rule.maxProjects",
                                "must be at least minProjects")
                        .check(r.minSharePercent() == null, "rule.minSharePercent", "only a knapsack ballot has a minimum share");
            }
        }
        Budget.Schedule s = c.schedule();
        if (s != null) {
            v.require("schedule.proposalsOpenAt", s.proposalsOpenAt()).require("schedule.reviewOpensAt", s.reviewOpensAt())
                    .require("schedule.voteOpensAt", s.voteOpensAt()).require("schedule.voteClosesAt", s.voteClosesAt());
            if (s.proposalsOpenAt() != null && s.reviewOpensAt() != null && s.voteOpensAt() != null && s.voteClosesAt() != null) {
                v.check(!s.reviewOpensAt().isBefore(s.proposalsOpenAt()), "schedule.reviewOpensAt", "must not be before proposalsOpenAt")
                        .check(!s.voteOpensAt().isBefore(s.reviewOpensAt()), "schedule.voteOpensAt", "must not be before reviewOpensAt")
                        .check(s.voteClosesAt().isAfter(s.voteOpensAt()), "schedule.voteClosesAt", "must be after voteOpensAt");
            }
            for (var e : Map.of("proposalsOpenAt", nz(s.proposalsOpenAt(), now), "voteClosesAt", nz(s.voteClosesAt(), now)).entrySet()) {
                v.check(within(e.getValue(), now), "schedule." + e.getKey(), "must be within " + HORIZON_YEARS + " years of today");
            }
        }
        v.throwIfInvalid();
        Rule rule = new Rule(r.kind(), r.minSharePercent(), r.minProjects(), r.maxProjects());
        return new Budget(UUID.randomUUID().toString(), c.title().strip(), c.description().strip(), c.district(), c.amount(), rule, s,
                Boolean.TRUE.equals(c.allowChange()), false, null, null, now, createdBy, 0);
    }

    private static Instant nz(Instant at, Instant fallback) {
        return at == null ? fallback : at;
    }
}
