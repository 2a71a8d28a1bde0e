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

    /** Devices not heard from since {@code before}, a page at a time (the offline sweep). */
    Page<Device> silentSince(Instant before, int limit, Optional<String> token);

    /** Records that the device was heard from at {@code at}, if that is later than what is recorded. */
    void heardFrom(String deviceId, Instant at);
}
