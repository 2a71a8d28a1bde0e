package org.territoire.bookings.resources;

import java.util.Optional;
import org.territoire.shared.page.Page;

/** Where resources are kept. */
public interface ResourceRepository {
    void create(Resource resource);

    /** Replaces a resource that still has {@code expectedCapacity} and is not retired; false otherwise. */
    boolean update(Resource resource, int expectedCapacity);

    /** Retires it (no new bookings, out of the lists); false when it was already retired. */
    boolean retire(String id, java.time.Instant at);

    Optional<Resource> find(String id);

    Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken);
}
