package org.territoire.bookings.booking;

import java.time.Instant;
import org.territoire.bookings.resources.ResourceKind;

/**
 * A person's limits for one kind of resource: at most {@code maxActive} bookings that have
 * not ended, and at most {@code maxMinutesPerWeek} booked per ISO week of the territory's
 * time zone. A null limit means none.
 *
 * @param weeklySince since when the weekly limit has applied without a break (null: unknown,
 *                    a rule saved before this was recorded). A booking stored without its
 *                    {@link Hold} and made before that moment took no week minutes.
 */
public record QuotaRule(ResourceKind kind, Integer maxActive, Integer maxMinutesPerWeek, Instant weeklySince) {
    public QuotaRule(ResourceKind kind, Integer maxActive, Integer maxMinutesPerWeek) {
        this(kind, maxActive, maxMinutesPerWeek, null);
    }

    public static QuotaRule none(ResourceKind kind) {
        return new QuotaRule(kind, null, null);
    }
}
