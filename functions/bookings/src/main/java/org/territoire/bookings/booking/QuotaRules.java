package org.territoire.bookings.booking;

import java.util.Optional;
import org.territoire.bookings.resources.ResourceKind;

/** Where each kind's quota rule is kept (what each person holds against it is the bookings' part). */
public interface QuotaRules {
    Optional<QuotaRule> find(ResourceKind kind);

    /**
     * Saves a kind's rule; the weekly limit keeps the {@code weeklySince} it had if it already
     * applied (the rule's own {@code weeklySince} is used only when it starts). Returns what is stored.
     */
    QuotaRule save(QuotaRule rule);
}
