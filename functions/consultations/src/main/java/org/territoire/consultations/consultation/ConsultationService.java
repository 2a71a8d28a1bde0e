package org.territoire.consultations.consultation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Agents prepare consultations; residents in scope take part while the clock says they are
 * open. Every participation is one transaction (conditioned on the window and on the person's
 * pseudonym not having taken part), so tallies are exact however many arrive at once.
 */
public final class ConsultationService {
    static final int MAX_QUESTIONS = 20;
    static final int MAX_CHOICES = 20;

    /** The body of {@code POST /consultations} and {@code PUT /consultations/{id}}. */
    public record ConsultationCommand(String title, String description, Kind kind, List<String> districts,
                                      Instant opensAt, Instant closesAt, Boolean liveResults, Boolean allowChange,
                                      Integer supportThreshold, String serviceId, List<QuestionCommand> questions) {
    }

    public record QuestionCommand(String text, Question.Type type, List<String> choices, Integer maxChoices, Boolean optional) {
    }

    /** The body of a participation. */
    public record ParticipationCommand(List<Ballot.Answer> answers) {
    }

    /** What a participant sees of their own participation. */
    public record MyParticipation(String consultationId, Instant at, List<Ballot.Answer> answers, boolean canChange) {
    }

    private final ConsultationRepository repository;
    private final Clock clock;
    private org.territoire.shared.events.DomainEvents events = org.territoire.shared.events.DomainEvents.NONE;

    /** Publishes published results (after the committed write) through {@code events}. */
    public ConsultationService publishingTo(org.territoire.shared.events.DomainEvents events) {
        this.events = events;
        return this;
    }

    public ConsultationService(ConsultationRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public ConsultationView create(Caller caller, ConsultationCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Consultation c = build(UUID.randomUUID().toString(), command, false, clock.instant(), caller.id(), 0);
        repository.create(c);
        return ConsultationView.of(c, c.phase(clock.instant()), true);
    }

    /** Edits a draft, or a scheduled consultation that has not opened: its questions never change once open. */
    public ConsultationView replace(Caller caller, String id, ConsultationCommand command) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Consultation current = find(id);
        requireNotOpened(current);
        Consultation next = build(id, command, current.scheduled(), current.createdAt(), current.createdBy(), current.version() + 1);
        if (next.kind() != current.kind()) {
            throw DomainError.invalid("kind", "cannot change; create another consultation");
        }
        if (next.scheduled()) {
            checkSchedulable(next);
        }
        return save(next, current);
    }

    /** Draft → scheduled: it will open and close by the clock. */
    public ConsultationView schedule(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Consultation current = find(id);
        if (current.scheduled()) {
            throw DomainError.conflict("the consultation is already scheduled");
        }
        Consultation next = current.scheduledVersion();
        checkSchedulable(next);
        return save(next, current);
    }

    /** Replaces {@code current} by {@code next}, if nobody changed it meanwhile and it has not opened; agents only get here. */
    private ConsultationView save(Consultation next, Consultation current) {
        if (!repository.replaceBeforeOpening(next, current.version(), clock.instant())) {
            throw DomainError.conflict("the consultation changed meanwhile, or has just opened; read it again");
        }
        return ConsultationView.of(next, next.phase(clock.instant()), true);
    }

    /** Closed → results published: they become public, with their open-data export. */
    public ConsultationView publishResults(Caller caller, String id) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        Consultation c = find(id);
        Phase phase = c.phase(clock.instant());
        if (phase != Phase.CLOSED) {
            throw DomainError.conflict(phase == Phase.RESULTS_PUBLISHED ? "results are already published"
                    : "results are published once the consultation has closed (it is " + phase.name().toLowerCase() + ")");
        }
        if (!repository.publishResults(id, clock.instant())) {
            throw DomainError.conflict("results were published meanwhile");
        }
        // One event per district the consultation is for; none named: territory-wide (district null).
        for (String district : c.districts().isEmpty() ? java.util.Collections.<String>singletonList(null) : c.districts()) {
            java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("consultationId", id);
            detail.put("district", district);
            events.publish("Consultation Results Published", detail);
        }
        return view(caller, find(id));
    }

    public ConsultationView get(Caller caller, String id) {
        return view(caller, visible(caller, id));
    }

    public Page<ConsultationView> list(Caller caller, int limit, Optional<String> token) {
        return repository.list(caller.hasAny(Role.AGENT, Role.ADMIN), limit, token).map(c -> view(caller, c));
    }

    public MyParticipation participate(Caller caller, String id, ParticipationCommand command) {
        Consultation c = participable(caller, id, Kind.POLL, Kind.EXPERIMENT);
        Ballot ballot = Ballot.checked(c, command.answers());
        String pseudonym = pseudonym(c.id(), caller.id());
        Instant now = clock.instant();
        if (!repository.participate(c, caller.id(), pseudonym, ballot, c.allowChange(), now)) {
            throw whyRefused(c, pseudonym);
        }
        return new MyParticipation(c.id(), now, c.allowChange() ? ballot.answers() : null, c.allowChange());
    }

    /** Replaces one's answers, where the consultation allows it, until it closes. */
    public MyParticipation change(Caller caller, String id, ParticipationCommand command) {
        Consultation c = participable(caller, id, Kind.POLL, Kind.EXPERIMENT);
        if (!c.allowChange()) {
            throw DomainError.ruleViolated("this consultation does not allow changing one's answers");
        }
        Ballot ballot = Ballot.checked(c, command.answers());
        String pseudonym = pseudonym(c.id(), caller.id());
        ConsultationRepository.Participation before = repository.participation(c.id(), pseudonym)
                .orElseThrow(() -> DomainError.notFound("you have not taken part yet; POST your answers first"));
        Instant now = clock.instant();
        if (!repository.changeParticipation(c, pseudonym, before, ballot, now)) {
            throw c.phase(clock.instant()) == Phase.OPEN
                    ? DomainError.conflict("your answers changed meanwhile; read them again")
                    : DomainError.conflict("the consultation closed at " + c.closesAt());
        }
        return new MyParticipation(c.id(), now, ballot.answers(), true);
    }

    public MyParticipation mine(Caller caller, String id) {
        Consultation c = visible(caller, id);
        var p = repository.participation(c.id(), pseudonym(c.id(), caller.id()))
                .orElseThrow(() -> DomainError.notFound("you have not taken part in this consultation"));
        return new MyParticipation(c.id(), p.at(), p.ballot() == null ? null : p.ballot().answers(),
                c.allowChange() && c.phase(clock.instant()) == Phase.OPEN);
    }

    /**
     * The consultation, if this caller may see its results now: agents always; others once
     * they are published, or while it is open if it shows live results.
     */
    public Consultation withVisibleResults(Caller caller, String id) {
        Consultation c = visible(caller, id);
        if (caller.hasAny(Role.AGENT, Role.ADMIN)) {
            return c;
        }
        Phase phase = c.phase(clock.instant());
        boolean visible = phase == Phase.RESULTS_PUBLISHED || c.liveResults() && (phase == Phase.OPEN || phase == Phase.CLOSED);
        if (!visible) {
            throw DomainError.forbidden(switch (phase) {
                case OPEN -> "results are shown once the consultation has closed and they are published";
                case CLOSED -> "results are not published yet";
                default -> "the consultation has not opened";
            });
        }
        return c;
    }

    /** Free texts shown per question in the results (their number, {@code answered}, is always exact). */
    static final int TEXTS_SHOWN = 100;

    /** The open-data export of a poll or an experiment: its results, never the free texts. */
    public Results export(Caller caller, String id) {
        Consultation c = withVisibleResults(caller, id);
        if (!c.kind().hasQuestions()) {
            throw DomainError.ruleViolated("a proposals consultation's results are its proposals: GET its results");
        }
        return results(c, false);
    }

    /** Counts, percentages and participation of a poll or an experiment. */
    public Results results(Consultation c, boolean withTexts) {
        Results results = Results.of(c, c.phase(clock.instant()), repository.tallies(c.id()),
                question -> repository.texts(c.id(), question, TEXTS_SHOWN));
        return withTexts ? results : results.withoutTexts();
    }

    /** The consultation, once a caller may see it: drafts only to agents. */
    public Consultation visible(Caller caller, String id) {
        Consultation c = find(id);
        if (!c.scheduled() && !caller.hasAny(Role.AGENT, Role.ADMIN)) {
            throw DomainError.notFound("no such consultation");
        }
        return c;
    }

    /**
     * The consultation, if this caller may take part in it now: another kind of consultation is
     * a rule violated, a caller out of its scope is forbidden, outside its window a conflict.
     */
    public Consultation participable(Caller caller, String id, Kind... kinds) {
        Consultation c = visible(caller, id);
        if (!List.of(kinds).contains(c.kind())) {
            throw DomainError.ruleViolated("a " + c.kind().name().toLowerCase() + " consultation does not take this");
        }
        c.whyNotEligible(caller).ifPresent(reason -> {
            throw DomainError.forbidden(reason);
        });
        requireOpen(c, clock.instant());
        return c;
    }

    public Phase phase(Consultation c) {
        return c.phase(clock.instant());
    }

    static void requireOpen(Consultation c, Instant now) {
        switch (c.phase(now)) {
            case OPEN -> {
            }
            case DRAFT -> throw DomainError.conflict("the consultation is not scheduled");
            case SCHEDULED -> throw DomainError.conflict("the consultation opens at " + c.opensAt());
            default -> throw DomainError.conflict("the consultation closed at " + c.closesAt());
        }
    }

    /** A participant's stable pseudonym in one consultation: their answers are never stored under their identity. */
    public static String pseudonym(String consultationId, String userId) {
        return Hashes.sha256Hex("consultation:" + consultationId + ":" + userId);
    }

    private DomainError whyRefused(Consultation c, String pseudonym) {
        if (repository.participation(c.id(), pseudonym).isPresent()) {
            return DomainError.conflict("you have already taken part" + (c.allowChange() ? "; PUT your new answers to change them" : ""));
        }
        if (c.phase(clock.instant()) != Phase.OPEN) {
            return DomainError.conflict("the consultation closed at " + c.closesAt());
        }
        return DomainError.conflict("the consultation changed meanwhile; try again");
    }

    private void requireNotOpened(Consultation c) {
        Phase phase = c.phase(clock.instant());
        if (phase != Phase.DRAFT && phase != Phase.SCHEDULED) {
            throw DomainError.conflict("a consultation cannot change once open (it is " + phase.name().toLowerCase() + ")");
        }
    }

    private void checkSchedulable(Consultation c) {
        new Validation().check(c.closesAt().isAfter(clock.instant()), "closesAt", "is in the past; a consultation must close in the future")
                .check(!c.kind().hasQuestions() || !c.questions().isEmpty(), "questions", "a " + c.kind().name().toLowerCase()
                        + " needs at least one question before it is scheduled")
                .throwIfInvalid();
    }

    private Consultation find(String id) {
        return repository.find(id).orElseThrow(() -> DomainError.notFound("no such consultation"));
    }

    private ConsultationView view(Caller caller, Consultation c) {
        return ConsultationView.of(c, c.phase(clock.instant()), caller.hasAny(Role.AGENT, Role.ADMIN));
    }

    /** How far from its creation a consultation may open or close: past it, a date is a typo (or an attack). */
    static final int HORIZON_YEARS = 10;

    private static boolean within(Instant at, Instant reference) {
        java.time.Duration horizon = java.time.Duration.ofDays(366L * HORIZON_YEARS);
        return at == null || !at.isBefore(reference.minus(horizon)) && !at.isAfter(reference.plus(horizon));
    }

    private static Consultation build(String id, ConsultationCommand c, boolean scheduled, Instant createdAt, String createdBy,
                                      long version) {
        Validation v = new Validation().text("title", c.title(), 3, 200, true).text("description", c.description(), 1, 5000, true)
                .require("kind", c.kind()).require("opensAt", c.opensAt()).require("closesAt", c.closesAt())
                .size("districts", c.districts(), 0, 50)
                .check(c.opensAt() == null || c.closesAt() == null || c.closesAt().isAfter(c.opensAt()), "closesAt", "must be after opensAt")
                .check(within(c.opensAt(), createdAt), "opensAt", "must be within " + HORIZON_YEARS + " years of today")
                .check(within(c.closesAt(), createdAt), "closesAt", "must be within " + HORIZON_YEARS + " years of today")
                .range("supportThreshold", c.supportThreshold(), 1, 1_000_000);
        List<String> districts = c.districts() == null ? List.of() : c.districts();
        for (int i = 0; i < districts.size(); i++) {
            v.matches("districts[" + i + "]", districts.get(i), "[a-z0-9][a-z0-9-]{0,63}", "must be a district id (lower-case letters, digits, dashes)");
        }
        if (c.kind() == Kind.EXPERIMENT) {
            v.require("serviceId", c.serviceId()).matches("serviceId", c.serviceId(), "[A-Za-z0-9-]{1,64}", "must be a catalogue service id");
        } else {
            v.check(c.serviceId() == null, "serviceId", "only an experiment is linked to a service");
        }
        if (c.kind() == Kind.PROPOSALS) {
            v.check(c.questions() == null || c.questions().isEmpty(), "questions", "a proposals consultation has no questions");
        } else {
            v.check(c.supportThreshold() == null, "supportThreshold", "only a proposals consultation has a support threshold");
        }
        List<Question> questions = new ArrayList<>();
        List<QuestionCommand> asked = c.questions() == null ? List.of() : c.questions();
        v.size("questions", asked, 0, MAX_QUESTIONS);
        for (int i = 0; i < asked.size() && i < MAX_QUESTIONS; i++) {
            QuestionCommand q = asked.get(i);
            String at = "questions[" + i + "]";
            if (q == null) {
                v.check(false, at, "is required");
                continue;
            }
            v.text(at + ".text", q.text(), 3, 500, true).require(at + ".type", q.type());
            boolean choice = q.type() == Question.Type.SINGLE_CHOICE || q.type() == Question.Type.MULTIPLE_CHOICE;
            List<String> labels = q.choices() == null ? List.of() : q.choices();
            if (choice) {
                v.size(at + ".choices", q.choices(), 2, MAX_CHOICES);
                for (int j = 0; j < labels.size(); j++) {
                    v.text(at + ".choices[" + j + "]", labels.get(j), 1, 200, true);
                }
                v.check(labels.stream().map(l -> l == null ? "" : l.strip()).distinct().count() == labels.size(), at + ".choices", "are not all different");
            } else {
                v.check(labels.isEmpty(), at + ".choices", "only choice questions have choices");
            }
            if (q.type() == Question.Type.MULTIPLE_CHOICE) {
                v.require(at + ".maxChoices", q.maxChoices()).range(at + ".maxChoices", q.maxChoices(), 1, Math.max(1, labels.size()));
            } else {
                v.check(q.maxChoices() == null, at + ".maxChoices", "only a multiple-choice question has a maximum");
            }
            List<Question.Choice> choices = new ArrayList<>();
            for (int j = 0; j < labels.size(); j++) {
                choices.add(new Question.Choice("c" + (j + 1), labels.get(j) == null ? null : labels.get(j).strip()));
            }
            questions.add(new Question("q" + (i + 1), q.text() == null ? null : q.text().strip(), q.type(), choices,
                    q.type() == Question.Type.MULTIPLE_CHOICE ? q.maxChoices() : null, Boolean.TRUE.equals(q.optional())));
        }
        v.throwIfInvalid();
        return new Consultation(id, c.title().strip(), c.description().strip(), c.kind(), districts, c.opensAt(), c.closesAt(),
                scheduled, null, Boolean.TRUE.equals(c.liveResults()), Boolean.TRUE.equals(c.allowChange()), c.supportThreshold(),
                c.serviceId(), questions, createdAt, createdBy, version);
    }
}
