package org.territoire.telemetry.device;

import java.time.Instant;

/**
 * A registered device: an IoT thing of the same name in AWS. {@code ownerId} is the resident
 * whose household it measures (home devices); {@code resourceId} a bookable resource it
 * watches (a parking spot, a room).
 */
public record Device(String id, DeviceKind kind, String district, Double latitude, Double longitude, String ownerId,
                     String resourceId, String name, Instant createdAt, String createdBy) {

    /** Personal data: only the owner reads it. */
    public boolean personal() {
        return ownerId != null || kind.health();
    }
}
