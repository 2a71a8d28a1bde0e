package org.territoire.bookings.booking;

import org.territoire.bookings.resources.ResourceKind;

/**
 * A person's limits for one kind of resource: at most {@code maxActive} bookings that have
 * not ended, and at most {@code maxMinutesPerWeek} booked per ISO week of the territory's
 * time zone. A null limit means none.
 */
public record QuotaRule(ResourceKind kind, Integer maxActive, Integer maxMinutesPerWeek) {
    public static QuotaRule none(ResourceKind kind) {
        return new QuotaRule(kind, null, null);
    }
}
