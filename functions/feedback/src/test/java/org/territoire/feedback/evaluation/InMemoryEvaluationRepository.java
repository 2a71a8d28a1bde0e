package org.territoire.feedback.evaluation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.page.Page;

/**
 * Evaluations in memory, for unit tests, with the table's conditions: one per person per
 * service, changes conditioned on the rating they replace and on not being hidden; the summary
 * is recounted from what is stored. {@link #storeLegacy} stores one as before handles were.
 */
public final class InMemoryEvaluationRepository implements EvaluationRepository {
    private final Map<String, Evaluation> stored = new ConcurrentHashMap<>();
    /** How many conditional writes to refuse next, as if another request had just changed the evaluation. */
    public int racesToLose;

    private static String key(String serviceId, String authorId) {
        return serviceId + "\u0000" + authorId;
    }

    /** Stores an evaluation as it was stored before handles existed: no handle. */
    public void storeLegacy(Evaluation e) {
        stored.put(key(e.serviceId(), e.authorId()), new Evaluation(e.serviceId(), e.authorId(), null, e.rating(), e.comment(),
                e.createdAt(), e.updatedAt(), e.reply(), e.repliedAt(), e.hidden(), e.hiddenReason()));
    }

    private boolean loseARace() {
        if (racesToLose > 0) {
            racesToLose--;
            return true;
        }
        return false;
    }

    @Override
    public synchronized boolean add(Evaluation e) {
        return stored.putIfAbsent(key(e.serviceId(), e.authorId()), e) == null;
    }

    @Override
    public synchronized boolean change(Evaluation current, int newRating, String newComment, Instant at) {
        Evaluation now = stored.get(key(current.serviceId(), current.authorId()));
        if (loseARace() || now == null || now.rating() != current.rating() || now.hidden()) {
            return false;
        }
        stored.put(key(now.serviceId(), now.authorId()), new Evaluation(now.serviceId(), now.authorId(), current.handle(), newRating,
                newComment, now.createdAt(), at, now.reply(), now.repliedAt(), false, null));
        return true;
    }

    @Override
    public synchronized boolean withdraw(Evaluation current) {
        Evaluation now = stored.get(key(current.serviceId(), current.authorId()));
        if (loseARace() || now == null || now.rating() != current.rating() || now.hidden() != current.hidden()) {
            return false;
        }
        stored.remove(key(now.serviceId(), now.authorId()));
        return true;
    }

    @Override
    public synchronized boolean hide(Evaluation current, String reason, Instant at) {
        Evaluation now = stored.get(key(current.serviceId(), current.authorId()));
        if (loseARace() || now == null || now.rating() != current.rating() || now.hidden()) {
            return false;
        }
        stored.put(key(now.serviceId(), now.authorId()), new Evaluation(now.serviceId(), now.authorId(), now.handle(), now.rating(),
                now.comment(), now.createdAt(), now.updatedAt(), now.reply(), now.repliedAt(), true, reason));
        return true;
    }

    @Override
    public synchronized boolean reply(String serviceId, String authorId, String reply, Instant at) {
        Evaluation now = stored.get(key(serviceId, authorId));
        if (now == null) {
            return false;
        }
        stored.put(key(serviceId, authorId), new Evaluation(serviceId, authorId, now.handle(), now.rating(), now.comment(),
                now.createdAt(), now.updatedAt(), reply, at, now.hidden(), now.hiddenReason()));
        return true;
    }

    @Override
    public Optional<Evaluation> find(String serviceId, String authorId) {
        return Optional.ofNullable(stored.get(key(serviceId, authorId)));
    }

    @Override
    public Optional<Evaluation> findByHandle(String serviceId, String handle) {
        return stored.values().stream().filter(e -> e.serviceId().equals(serviceId) && handle.equals(e.handle())).findFirst();
    }

    @Override
    public List<Evaluation> withoutHandle(String serviceId) {
        return stored.values().stream().filter(e -> e.serviceId().equals(serviceId) && e.handle() == null).toList();
    }

    @Override
    public synchronized boolean assignHandle(Evaluation legacy, String handle) {
        Evaluation now = stored.get(key(legacy.serviceId(), legacy.authorId()));
        if (now == null || now.handle() != null) {
            return false;
        }
        stored.put(key(now.serviceId(), now.authorId()), new Evaluation(now.serviceId(), now.authorId(), handle, now.rating(),
                now.comment(), now.createdAt(), now.updatedAt(), now.reply(), now.repliedAt(), now.hidden(), now.hiddenReason()));
        return true;
    }

    @Override
    public Page<Evaluation> visible(String serviceId, int limit, Optional<String> pageToken) {
        return new Page<>(stored.values().stream().filter(e -> e.serviceId().equals(serviceId) && !e.hidden())
                .sorted(Comparator.comparing(Evaluation::updatedAt).reversed()).limit(limit).toList(), null);
    }

    @Override
    public Summary summary(String serviceId) {
        List<Long> histogram = new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L));
        long count = 0;
        long sum = 0;
        for (Evaluation e : stored.values()) {
            if (e.serviceId().equals(serviceId) && !e.hidden()) {
                count++;
                sum += e.rating();
                histogram.set(e.rating() - 1, histogram.get(e.rating() - 1) + 1);
            }
        }
        return Summary.of(count, sum, histogram);
    }
}
