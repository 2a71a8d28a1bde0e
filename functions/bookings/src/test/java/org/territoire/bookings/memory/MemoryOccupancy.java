package org.territoire.bookings.memory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.occupancy.Occupancy;
import org.territoire.bookings.occupancy.OccupancyRepository;

/** Occupancy in memory; like the adapter, an observation is kept only if it is newer than the one held. */
public final class MemoryOccupancy implements OccupancyRepository {
    public final Map<String, Occupancy> stored = new HashMap<>();

    @Override
    public synchronized boolean record(Occupancy o) {
        Occupancy held = stored.get(o.resourceId());
        if (held != null && !held.observedAt().isBefore(o.observedAt())) {
            return false;
        }
        stored.put(o.resourceId(), o);
        return true;
    }

    @Override
    public synchronized Optional<Occupancy> occupancy(String resourceId) {
        return Optional.ofNullable(stored.get(resourceId));
    }
}
