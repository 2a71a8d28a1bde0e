package org.territoire.feedback.catalogue;

import java.time.Instant;
import java.util.List;

/**
 * A service of the territory that residents can evaluate and report problems about. A retired
 * service ({@code retiredAt}) leaves the catalogue and takes no new evaluation or report; what
 * was said about it stays.
 */
public record TerritoryService(String id, String name, String description, ServiceKind kind, String category,
                               String organisationId, List<String> districts, Location location,
                               boolean experimental, Instant createdAt, String createdBy, Instant retiredAt) {
    public TerritoryService {
        districts = List.copyOf(districts);
    }

    public boolean retired() {
        return retiredAt != null;
    }
}
