package org.territoire.consultations.consultation;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The openings' index in memory, for unit tests: each write checks, under one lock, the
 * condition the DynamoDB adapter's write carries (the entry's state and sort instant as read).
 */
public final class InMemoryOpenings implements Openings {
    private record Entry(Subject subject, String id, List<String> districts, Instant closesAt, Instant at, boolean claimed) {
    }

    private final Map<String, Entry> index = new LinkedHashMap<>();
    private final Map<String, Instant> announced = new LinkedHashMap<>();

    /** A consultation scheduled to open at {@code opensAt}, as scheduling writes it into the index. */
    public synchronized void scheduled(String id, List<String> districts, Instant opensAt, Instant closesAt) {
        index.put(id, new Entry(Subject.CONSULTATION, id, districts, closesAt, opensAt, false));
    }

    /** A budget's vote to open at {@code opensAt}, as its vote-opening marker is written into the index. */
    public synchronized void voteScheduled(String budgetId, List<String> districts, Instant opensAt, Instant closesAt) {
        index.put("BUDGET#" + budgetId, new Entry(Subject.BUDGET_VOTE, budgetId, districts, closesAt, opensAt, false));
    }

    public synchronized boolean inIndex(String id) {
        return index.containsKey(id);
    }

    public synchronized Map<String, Instant> announced() {
        return Map.copyOf(announced);
    }

    @Override
    public synchronized List<Opening> unannouncedOpenedBy(Instant now, int limit) {
        return due(false, now, limit);
    }

    @Override
    public synchronized List<Opening> announcingSince(Instant before, int limit) {
        return due(true, before, limit);
    }

    private List<Opening> due(boolean claimed, Instant until, int limit) {
        return index.entrySet().stream().filter(e -> e.getValue().claimed() == claimed && !e.getValue().at().isAfter(until))
                .sorted(Comparator.comparing(e -> e.getValue().at())).limit(limit)
                .map(Map.Entry::getValue)
                .map(e -> new Opening(e.subject(), e.id(), e.districts(), e.closesAt(), e.at(), claimed)).toList();
    }

    @Override
    public synchronized boolean claim(Opening o, Instant now) {
        Entry e = index.get(entry(o));
        if (e == null || e.claimed() != o.claimed() || !e.at().equals(o.at())) {
            return false;
        }
        index.put(entry(o), new Entry(e.subject(), e.id(), e.districts(), e.closesAt(), now, true));
        return true;
    }

    @Override
    public synchronized boolean announced(Opening o, Instant claimedAt) {
        String consultationId = entry(o);
        Entry e = index.get(consultationId);
        if (e == null || !e.claimed() || !e.at().equals(claimedAt)) {
            return false;
        }
        index.remove(consultationId);
        announced.put(consultationId, claimedAt);
        return true;
    }

    private static String entry(Opening o) {
        return o.subject() == Subject.BUDGET_VOTE ? "BUDGET#" + o.id() : o.id();
    }

    @Override
    public int backfillOnce(Instant now) {
        return 0; // in memory, everything scheduled is in the index from the start
    }
}
