package org.territoire.telemetry.alert;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Alerts: at most one active per device and rule; every raised alert is kept with its clearing time. */
public interface AlertRepository {
    /** Raises the alert unless one of its rule is active on the device; false then. */
    boolean raise(Alert alert);

    /**
     * Raises the offline alert of a device unless it was heard from after {@code lastHeard}
     * (checked in the same transaction, so a message that arrives meanwhile wins), and marks the
     * device's latest value so that its next message knows to clear it; false when not raised.
     */
    boolean raiseOffline(Alert alert, Instant lastHeard);

    /** Clears the active alert of this rule, if any; false when none was active. */
    boolean clear(String deviceId, Alert.Rule rule, Instant at);

    Optional<Alert> active(String deviceId, Alert.Rule rule);

    /** Alerts of the owner's devices, or (owner null) of the territory's own devices, latest first. */
    List<Alert> visibleTo(String ownerId, int limit);
}
