package org.territoire.notifications.preferences;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A person's choices per kind, and the audiences they belong to (their district, for
 * consultations; their organisation, for operators' notices), as their token said when they last
 * saved them. A kind never chosen is sent immediately.
 *
 * @param chosen the kinds the person chose for; the others are {@link #DEFAULT}
 */
public record Preferences(String accountId, Map<Kind, Frequency> chosen, Optional<String> district, Optional<String> organisation,
                          Instant updatedAt) {
    public static final Frequency DEFAULT = Frequency.IMMEDIATELY;

    public Preferences {
        chosen = Map.copyOf(chosen);
    }

    public static Preferences none(String accountId) {
        return new Preferences(accountId, Map.of(), Optional.empty(), Optional.empty(), null);
    }

    public Frequency frequency(Kind kind) {
        return chosen.getOrDefault(kind, DEFAULT);
    }

    /** Every kind with its frequency, defaults included. */
    public Map<Kind, Frequency> all() {
        Map<Kind, Frequency> all = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            all.put(k, frequency(k));
        }
        return all;
    }
}
