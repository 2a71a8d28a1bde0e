package org.territoire.bookings.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.page.Page;

/** Resources in memory, with the adapter's conditions: an id taken is refused, an edit needs the version it read. */
public final class MemoryResources implements ResourceRepository {
    public final Map<String, Resource> stored = new LinkedHashMap<>();

    @Override
    public synchronized void create(Resource r) {
        if (stored.putIfAbsent(r.id(), r) != null) {
            throw DomainError.conflict("a resource with this id already exists");
        }
    }

    @Override
    public synchronized boolean update(Resource r, long expectedVersion) {
        Resource current = stored.get(r.id());
        if (current == null || current.retiredAt() != null || current.version() != expectedVersion) {
            return false;
        }
        stored.put(r.id(), r);
        return true;
    }

    @Override
    public synchronized boolean retire(String id, Instant at) {
        Resource r = stored.get(id);
        if (r == null || r.retiredAt() != null) {
            return false;
        }
        stored.put(id, new Resource(r.id(), r.kind(), r.name(), r.description(), r.operatorOrganisation(), r.lenderId(),
                r.district(), r.latitude(), r.longitude(), r.capacity(), r.slot(), r.openingHours(), r.zone(), r.minDuration(),
                r.maxDuration(), r.minNotice(), r.maxAdvance(), r.buffer(), r.eligibility(), r.requiresApproval(),
                r.linkedDeviceId(), r.createdAt(), r.createdBy(), at, r.version() + 1, null));
        return true;
    }

    @Override
    public synchronized Optional<Resource> find(String id) {
        return Optional.ofNullable(stored.get(id));
    }

    /** By name, retired ones left out (as the listing indexes do); one page. */
    @Override
    public synchronized Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken) {
        return new Page<>(stored.values().stream().filter(r -> r.retiredAt() == null)
                .filter(r -> kind.map(k -> k == r.kind()).orElse(true))
                .sorted(Comparator.comparing((Resource r) -> r.name().toLowerCase(Locale.ROOT)).thenComparing(Resource::id))
                .limit(limit).toList(), null);
    }
}
