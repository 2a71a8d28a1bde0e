package org.territoire.feedback.catalogue;

import java.util.List;

/**
 * The body of {@code POST /services}. {@code organisationId} is read only from agents and
 * admins; a provider's organisation comes from its token.
 */
public record CreateServiceCommand(String name, String description, ServiceKind kind, String category,
                                   String organisationId, List<String> districts, Location location,
                                   Boolean experimental) {
}
