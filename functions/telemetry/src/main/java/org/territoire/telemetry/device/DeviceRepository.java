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

    /**
     * Keeps the offline sweep's index of when devices were last heard from: {@code at}, the
     * newest reading, which replaced {@code before} as the latest ({@code before} empty when no
     * last-heard time was on record). The index may lag the latest value by a bounded step;
     * the sweep checks the latest value of each device the index names.
     */
    void heardFrom(Device device, Instant at, Optional<Instant> before);
}
