package org.territoire.feedback.catalogue;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.page.Page;

/** The catalogue's port in memory, for unit tests: same conditions as the table (create never replaces, replace only a live service). */
public final class InMemoryServiceRepository implements ServiceRepository {
    final Map<String, TerritoryService> stored = new ConcurrentHashMap<>();

    @Override
    public void create(TerritoryService service) {
        if (stored.putIfAbsent(service.id(), service) != null) {
            throw new IllegalStateException("service id " + service.id() + " taken");
        }
    }

    @Override
    public Optional<TerritoryService> find(String id) {
        return Optional.ofNullable(stored.get(id));
    }

    @Override
    public synchronized boolean replace(TerritoryService service) {
        TerritoryService current = stored.get(service.id());
        if (current == null || current.retired()) {
            return false;
        }
        stored.put(service.id(), service);
        return true;
    }

    @Override
    public Page<TerritoryService> list(Optional<ServiceKind> kind, int limit, Optional<String> pageToken) {
        List<TerritoryService> live = stored.values().stream().filter(s -> !s.retired())
                .filter(s -> kind.map(k -> s.kind() == k).orElse(true))
                .sorted(Comparator.comparing(TerritoryService::name)).limit(limit).toList();
        return new Page<>(live, null);
    }

    /** A service as an agent would have created it, stored directly. */
    public TerritoryService add(String id, String organisationId) {
        TerritoryService service = new TerritoryService(id, "Service " + id, null, ServiceKind.TERRITORIAL, "culture", organisationId,
                List.of("centre"), new Location(45.76, 4.83), false, java.time.Instant.parse("2026-11-01T00:00:00Z"), "agent-1", null);
        create(service);
        return service;
    }

    public void retire(String id) {
        TerritoryService s = stored.get(id);
        stored.put(id, new TerritoryService(id, s.name(), s.description(), s.kind(), s.category(), s.organisationId(), s.districts(),
                s.location(), s.experimental(), s.createdAt(), s.createdBy(), java.time.Instant.parse("2026-11-20T00:00:00Z")));
    }
}
