package org.territoire.bookings.occupancy;

import java.time.Instant;

/** What a resource's occupancy sensor last reported. */
public record Occupancy(String resourceId, boolean occupied, Instant observedAt) {
}
