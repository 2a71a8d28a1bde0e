package org.territoire.telemetry.device;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.shared.page.Page;

/** Registered devices. */
public interface DeviceRepository {
    /** Stores a new device; false when the id is taken. */
    boolean create(Device device);

    Optional<Device> find(String id);

    /** Removes a registration that could not be completed (its thing could not be provisioned). */
    void delete(String id);

    List<Device> ofOwner(String ownerId);

    List<Device> inDistrict(String district, DeviceKind kind);

    /**
     * The territory's devices, by district, kind and id, a page at a time (the agents' list),
     * of a district, a kind, or both.
     */
    Page<Device> territory(Optional<String> district, Optional<DeviceKind> kind, int limit, Optional<String> token);

    /** When a device was last heard from, and whether the sweep marked it offline. */
    record LastHeard(Instant at, boolean offline) {
    }

    /** The last time each of these devices was heard from; a device never heard from is absent. */
    java.util.Map<String, LastHeard> lastHeard(List<String> ids);

    /** Every registered device (the district sweep): the index of devices by district, read whole. */
    List<Device> all();

    /** Devices not heard from since {@code before}, a page at a time (the offline sweep). */
    Page<Device> silentSince(Instant before, int limit, Optional<String> token);

    /**
     * Moves the offline sweep's index entry of the device forward to {@code at} (never back).
     * The index lags the latest value, which is the truth: ingestion makes the entry at the
     * device's first message ({@code first}), the sweep moves it when it finds a device the
     * index says is silent was heard from since.
     */
    void heardFrom(Device device, Instant at, boolean first);
}
