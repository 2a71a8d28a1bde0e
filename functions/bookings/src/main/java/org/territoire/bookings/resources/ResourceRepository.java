package org.territoire.bookings.resources;

import java.util.Optional;
import org.territoire.shared.page.Page;

/** Where resources are kept. */
public interface ResourceRepository {
    void create(Resource resource);

    /**
     * Replaces a resource that still has {@code expectedVersion} (the one the edit read) and is
     * not retired; false otherwise, and nothing is written: a concurrent edit is never lost.
     */
    boolean update(Resource resource, long expectedVersion);

    /** Retires it (no new bookings, out of the lists); false when it was already retired. */
    boolean retire(String id, java.time.Instant at);

    Optional<Resource> find(String id);

    Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken);
}
