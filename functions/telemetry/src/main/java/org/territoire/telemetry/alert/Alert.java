package org.territoire.telemetry.alert;

import java.time.Instant;

/**
 * A threshold rule that fired on a device: raised at a time, cleared later. Shown to the
 * device's owner for home devices, to agents for the territory's own.
 */
public record Alert(String deviceId, Rule rule, String district, String ownerId, Instant raisedAt, Instant clearedAt,
                    String detail) {

    public enum Rule {
        /** PM2.5 above 50 µg/m³ for 15 minutes. */
        PM25_HIGH,
        /** Water flowing without a pause for 3 hours: a leak. */
        CONTINUOUS_FLOW,
        /** No data for longer than the device's kind allows. */
        OFFLINE
    }

    public boolean active() {
        return clearedAt == null;
    }
}
