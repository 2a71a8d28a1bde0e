package org.territoire.telemetry.store;

import java.time.Instant;
import java.util.Map;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.ingest.OccupancyEvents;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * "Occupancy Changed" on the territory's bus, which the bookings capability's rule delivers
 * to its events function: telemetry never reads or writes the bookings table.
 */
public final class EventBridgeOccupancyEvents implements OccupancyEvents {
    public static final String SOURCE = "territoire.telemetry";
    public static final String DETAIL_TYPE = "Occupancy Changed";

    private final java.util.function.Supplier<EventBridgeClient> bus;
    private final String busName;

    public EventBridgeOccupancyEvents(EventBridgeClient bus, String busName) {
        this(() -> bus, busName);
    }

    /** With a client made on the first event ({@link org.territoire.shared.ddb.LazyClient}): most readings change no occupancy. */
    public EventBridgeOccupancyEvents(java.util.function.Supplier<EventBridgeClient> bus, String busName) {
        this.bus = bus;
        this.busName = busName;
    }

    @Override
    public void changed(String resourceId, boolean occupied, Instant observedAt, String deviceId) {
        String detail = Json.write(Map.of("resourceId", resourceId, "occupied", occupied, "observedAt", observedAt.toString(),
                "deviceId", deviceId));
        try {
            var response = bus.get().putEvents(p -> p.entries(e -> e.eventBusName(busName).source(SOURCE).detailType(DETAIL_TYPE).detail(detail)));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw StorageException.busy("the event bus refused the occupancy event: "
                        + response.entries().get(0).errorCode(), null);
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
