package org.territoire.bookings.resources;

import java.util.Optional;
import org.territoire.shared.page.Page;

/** Where resources are kept. */
public interface ResourceRepository {
    void create(Resource resource);

    Optional<Resource> find(String id);

    Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken);
}
