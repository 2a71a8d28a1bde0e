package org.territoire.feedback.catalogue;

import java.util.List;

/**
 * The six kinds of territorial service named by the mission, each with its categories.
 * A service's category must belong to its kind.
 */
public enum ServiceKind {
    /** Public services: e-administration, e-health, home care. */
    PUBLIC(List.of("e-administration", "e-health", "home-care")),
    /** The local authority's services. */
    TERRITORIAL(List.of("schools", "early-childhood", "waste-management", "tourism", "culture")),
    /** Private operators. */
    PRIVATE(List.of("social-housing", "energy-supply", "heat-network", "photovoltaic-rooftop",
            "village-solar-plant", "telecom")),
    /** Residents' own initiatives. */
    PEER(List.of("knowledge-exchange", "equipment-sharing", "service-sharing", "neighbourhood-app", "concierge",
            "festive-event", "shared-workshop", "solidarity-place", "ressourcerie")),
    /** Local professionals. */
    PROFESSIONAL(List.of("company", "craftsman", "shop", "service-provider")),
    /** Services shared between professionals. */
    BUSINESS(List.of("shared-business-service", "business-hotel", "incubator", "coworking"));

    private final List<String> categories;

    ServiceKind(List<String> categories) {
        this.categories = categories;
    }

    public List<String> categories() {
        return categories;
    }
}
