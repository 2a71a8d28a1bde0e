package org.territoire.feedback.catalogue;

import java.time.Instant;
import java.util.List;

/** A service of the territory that residents can evaluate and report problems about. */
public record TerritoryService(String id, String name, String description, ServiceKind kind, String category,
                               String organisationId, List<String> districts, Location location,
                               boolean experimental, Instant createdAt, String createdBy) {
    public TerritoryService {
        districts = List.copyOf(districts);
    }
}
