package org.territoire.bookings.booking;

import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.validation.Validation;

/**
 * Each kind's limits per person: how many bookings that have not ended, how many hours a
 * week. The limits are enforced by the bookings' own transaction (see {@link BookingService});
 * here they are read and set.
 */
public final class QuotaService {
    private final QuotaRules rules;
    private final Clock clock;

    public QuotaService(QuotaRules rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    /** The limits of a kind, as the route names it (any case); anyone signed in may read them. */
    public QuotaRule get(String kind) {
        ResourceKind k = kind(kind);
        return rules.find(k).orElse(QuotaRule.none(k));
    }

    /**
     * Agents set a kind's limits (null: no such limit). A new limit counts only bookings made
     * from now on (each booking records what it took); the weekly limit remembers since when
     * it applies.
     */
    public QuotaRule set(Caller caller, String kind, Integer maxActive, Integer maxHoursPerWeek) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        ResourceKind k = kind(kind);
        new Validation().range("maxActive", maxActive, 1, 1000).range("maxHoursPerWeek", maxHoursPerWeek, 1, 168).throwIfInvalid();
        return rules.save(new QuotaRule(k, maxActive, maxHoursPerWeek == null ? null : maxHoursPerWeek * 60,
                maxHoursPerWeek == null ? null : clock.instant()));
    }

    static ResourceKind kind(String raw) {
        try {
            return ResourceKind.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainError.invalid("kind", "must be one of " + Arrays.toString(ResourceKind.values()));
        }
    }
}
