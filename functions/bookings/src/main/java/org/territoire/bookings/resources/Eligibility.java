package org.territoire.bookings.resources;

import java.util.List;

/**
 * Who may book a resource: everyone signed in, residents of some districts, or members of
 * one organisation (the district and organisation come from the caller's token).
 */
public record Eligibility(Scope scope, List<String> districts, String organisationId) {
    public enum Scope { EVERYONE, DISTRICTS, ORGANISATION }

    public Eligibility {
        districts = districts == null ? List.of() : List.copyOf(districts);
    }

    public static Eligibility everyone() {
        return new Eligibility(Scope.EVERYONE, List.of(), null);
    }
}
