package org.territoire.feedback.catalogue;

import java.util.Optional;
import org.territoire.shared.page.Page;

/** The catalogue's port to storage. */
public interface ServiceRepository {

    /** Stores a new service; its id is fresh, so the write never replaces another. */
    void create(TerritoryService service);

    Optional<TerritoryService> find(String id);

    /** Replaces a service that exists and is not retired; false otherwise. */
    boolean replace(TerritoryService service);

    /** Services in the catalogue (not retired) ordered by name, optionally of one kind. */
    Page<TerritoryService> list(Optional<ServiceKind> kind, int limit, Optional<String> pageToken);
}
