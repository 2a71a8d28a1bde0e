package org.territoire.telemetry.ingest;

import java.time.Instant;

/** Where a parking sensor's changes go: an "Occupancy Changed" event for the bookings capability. */
public interface OccupancyEvents {
    void changed(String resourceId, boolean occupied, Instant observedAt, String deviceId);
}
