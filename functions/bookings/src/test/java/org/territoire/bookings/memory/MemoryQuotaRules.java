package org.territoire.bookings.memory;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.QuotaRule;
import org.territoire.bookings.booking.QuotaRules;
import org.territoire.bookings.resources.ResourceKind;

/** Quota rules in memory; like the adapter, a weekly limit that already applied keeps its {@code weeklySince}. */
public final class MemoryQuotaRules implements QuotaRules {
    public final Map<ResourceKind, QuotaRule> stored = new EnumMap<>(ResourceKind.class);

    @Override
    public synchronized Optional<QuotaRule> find(ResourceKind kind) {
        return Optional.ofNullable(stored.get(kind));
    }

    @Override
    public synchronized QuotaRule save(QuotaRule rule) {
        QuotaRule previous = stored.get(rule.kind());
        QuotaRule saved = rule.maxMinutesPerWeek() != null && previous != null && previous.maxMinutesPerWeek() != null
                ? new QuotaRule(rule.kind(), rule.maxActive(), rule.maxMinutesPerWeek(), previous.weeklySince())
                : rule;
        stored.put(rule.kind(), saved);
        return saved;
    }
}
