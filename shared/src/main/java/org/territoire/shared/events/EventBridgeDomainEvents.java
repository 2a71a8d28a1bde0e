package org.territoire.shared.events;

import java.util.Map;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Domain events on EventBridge, under the capability's source (say {@code territoire.feedback}).
 * The SDK dependency is optional in the kernel: a function that publishes declares
 * {@code software.amazon.awssdk:eventbridge} itself, so the others' packages do not carry it.
 */
public final class EventBridgeDomainEvents implements DomainEvents {
    private final EventBridgeClient bus;
    private final String busName;
    private final String source;

    public EventBridgeDomainEvents(EventBridgeClient bus, String busName, String source) {
        this.bus = bus;
        this.busName = busName;
        this.source = source;
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        String json = Json.write(detail);
        try {
            var response = bus.putEvents(p -> p.entries(e -> e.eventBusName(busName).source(source).detailType(detailType).detail(json)));
            // PutEvents answers 200 with per-entry failures: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw StorageException.busy("the event bus refused the event: " + response.entries().get(0).errorCode(), null);
            }
        } catch (SdkException e) {
            throw StorageException.busy("the event bus is unavailable", e);
        }
    }
}
