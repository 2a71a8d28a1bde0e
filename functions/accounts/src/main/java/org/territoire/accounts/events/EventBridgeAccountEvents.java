package org.territoire.accounts.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.accounts.account.AccountEvents;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The account events on the territory's bus; each capability's rule delivers them to its own consumer. */
public final class EventBridgeAccountEvents implements AccountEvents {
    private final java.util.function.Supplier<EventBridgeClient> bus;
    private final String busName;

    public EventBridgeAccountEvents(EventBridgeClient bus, String busName) {
        this(() -> bus, busName);
    }

    /** With a client made on the first event ({@link org.territoire.shared.ddb.LazyClient}): reads publish nothing. */
    public EventBridgeAccountEvents(java.util.function.Supplier<EventBridgeClient> bus, String busName) {
        this.bus = bus;
        this.busName = busName;
    }

    @Override
    public void deleted(String accountId, Instant deletedAt) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("accountId", accountId);
        detail.put("deletedAt", deletedAt.toString());
        put(DELETED, detail);
    }

    @Override
    public void exportRequested(String accountId, String exportId, Instant requestedAt) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("accountId", accountId);
        detail.put("exportId", exportId);
        detail.put("requestedAt", requestedAt.toString());
        put(EXPORT_REQUESTED, detail);
    }

    private void put(String detailType, Map<String, Object> detail) {
        String json = Json.write(detail);
        try {
            var response = bus.get().putEvents(p -> p.entries(e -> e.eventBusName(busName).source(SOURCE).detailType(detailType).detail(json)));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw StorageException.busy("the event bus refused the event: " + response.entries().get(0).errorCode(), null);
            }
        } catch (SdkException e) {
            throw StorageException.busy("the event bus is unavailable", e);
        }
    }
}
