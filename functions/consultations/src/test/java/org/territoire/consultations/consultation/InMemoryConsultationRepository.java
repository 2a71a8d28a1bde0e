package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.page.Page;

/**
 * The consultation port in memory, for unit tests of the services. Each write checks, under one
 * lock, the same conditions as the DynamoDB adapter's conditional write or transaction (the
 * stored consultation open at {@code now}, no participation under the pseudonym, the expected
 * version), and writes nothing when one fails. {@link #beforeNextWrite} lets a test play a
 * concurrent request between a service's read and its write.
 */
public final class InMemoryConsultationRepository implements ConsultationRepository {
    private record Text(String consultationId, String questionId, String text) {
    }

    private final Map<String, Consultation> consultations = new LinkedHashMap<>();
    private final Map<String, Participation> participations = new HashMap<>();
    private final Map<String, Map<String, Long>> counters = new HashMap<>();
    private final Map<String, Long> participants = new HashMap<>();
    private final Map<String, Text> texts = new LinkedHashMap<>();
    private Runnable beforeNextWrite = () -> { };

    /** Runs {@code interleaved} once, just before the next conditional write is checked. */
    public synchronized void beforeNextWrite(Runnable interleaved) {
        this.beforeNextWrite = interleaved;
    }

    private void interleave() {
        Runnable r = beforeNextWrite;
        beforeNextWrite = () -> { };
        r.run();
    }

    /** Whether the stored consultation is scheduled and open at {@code now}: the adapters' {@code Keys.openAt}. */
    public synchronized boolean openAt(String consultationId, Instant now) {
        Consultation c = consultations.get(consultationId);
        return c != null && c.scheduled() && !c.opensAt().isAfter(now) && c.closesAt().isAfter(now);
    }

    @Override
    public synchronized void create(Consultation c) {
        interleave();
        if (consultations.putIfAbsent(c.id(), c) != null) {
            throw DomainError.conflict("this consultation id is already taken; send the request again");
        }
    }

    @Override
    public synchronized Optional<Consultation> find(String id) {
        return Optional.ofNullable(consultations.get(id));
    }

    @Override
    public synchronized boolean replaceBeforeOpening(Consultation next, long expectedVersion, Instant now) {
        interleave();
        Consultation current = consultations.get(next.id());
        if (current == null || current.version() != expectedVersion || current.scheduled() && !current.opensAt().isAfter(now)) {
            return false;
        }
        consultations.put(next.id(), next);
        return true;
    }

    @Override
    public synchronized boolean publishResults(String id, Instant now) {
        interleave();
        Consultation c = consultations.get(id);
        if (c == null || !c.scheduled() || c.closesAt().isAfter(now) || c.resultsPublishedAt() != null) {
            return false;
        }
        consultations.put(id, new Consultation(c.id(), c.title(), c.description(), c.kind(), c.districts(), c.opensAt(), c.closesAt(),
                true, now, c.liveResults(), c.allowChange(), c.supportThreshold(), c.serviceId(), c.questions(), c.createdAt(),
                c.createdBy(), c.version() + 1));
        return true;
    }

    @Override
    public synchronized Page<Consultation> list(boolean withDrafts, int limit, Optional<String> token) {
        List<Consultation> all = consultations.values().stream().filter(c -> withDrafts || c.scheduled())
                .sorted(Comparator.comparing(Consultation::createdAt).reversed()).toList();
        int from = token.map(Integer::parseInt).orElse(0);
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    @Override
    public synchronized boolean participate(Consultation c, String pseudonym, Ballot ballot, boolean keepAnswers, Instant now) {
        interleave();
        String key = c.id() + "/" + pseudonym;
        if (!openAt(c.id(), now) || participations.containsKey(key)) {
            return false;
        }
        List<String> textIds = addTexts(c.id(), ballot);
        participations.put(key, new Participation(now, keepAnswers ? ballot : null, keepAnswers ? ballot.counters() : Set.of(),
                keepAnswers ? textIds : List.of(), 0));
        Map<String, Long> delta = new HashMap<>();
        ballot.counters().forEach(counter -> delta.put(counter, 1L));
        add(c.id(), delta, 1);
        return true;
    }

    @Override
    public synchronized boolean changeParticipation(Consultation c, String pseudonym, Participation before, Ballot after, Instant now) {
        interleave();
        String key = c.id() + "/" + pseudonym;
        Participation stored = participations.get(key);
        if (!openAt(c.id(), now) || stored == null || stored.version() != before.version()) {
            return false;
        }
        before.textIds().forEach(texts::remove);
        List<String> textIds = addTexts(c.id(), after);
        participations.put(key, new Participation(stored.at(), after, after.counters(), textIds, stored.version() + 1));
        add(c.id(), Ballot.delta(before.counters(), after.counters()), 0);
        return true;
    }

    @Override
    public synchronized Optional<Participation> participation(String consultationId, String pseudonym) {
        return Optional.ofNullable(participations.get(consultationId + "/" + pseudonym));
    }

    @Override
    public synchronized Tallies tallies(String consultationId) {
        return new Tallies(participants.getOrDefault(consultationId, 0L), Map.copyOf(counters.getOrDefault(consultationId, Map.of())));
    }

    @Override
    public synchronized List<String> texts(String consultationId, String questionId, int max) {
        return texts.values().stream().filter(t -> t.consultationId().equals(consultationId) && t.questionId().equals(questionId))
                .map(Text::text).limit(max).toList();
    }

    /** How many free texts are stored for the consultation, whatever their question. */
    public synchronized int storedTexts(String consultationId) {
        return (int) texts.values().stream().filter(t -> t.consultationId().equals(consultationId)).count();
    }

    private List<String> addTexts(String consultationId, Ballot ballot) {
        List<String> ids = new ArrayList<>();
        ballot.texts().forEach((question, text) -> {
            String id = "TEXT#" + question + "#" + UUID.randomUUID();
            texts.put(id, new Text(consultationId, question, text));
            ids.add(id);
        });
        return ids;
    }

    private void add(String consultationId, Map<String, Long> delta, long people) {
        Map<String, Long> tally = counters.computeIfAbsent(consultationId, k -> new LinkedHashMap<>());
        delta.forEach((counter, by) -> tally.merge(counter, by, Long::sum));
        participants.merge(consultationId, people, Long::sum);
    }
}
