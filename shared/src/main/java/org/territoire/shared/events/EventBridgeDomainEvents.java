package org.territoire.shared.events;

import java.util.Map;
import java.util.function.Supplier;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.LazyClient;
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
    private final Supplier<EventBridgeClient> bus;
    private final String busName;
    private final String source;

    public EventBridgeDomainEvents(EventBridgeClient bus, String busName, String source) {
        this(LazyClient.ready(bus), busName, source);
    }

    /** With a client made on the first publish ({@link LazyClient}): most requests publish nothing. */
    public EventBridgeDomainEvents(Supplier<EventBridgeClient> bus, String busName, String source) {
        this.bus = bus;
        this.busName = busName;
        this.source = source;
    }

    /**
     * The function's EventBridge client, from the environment as {@link Aws#configure} makes every
     * client, built on the first publish: the requests that publish are the writes that commit.
     */
    public static LazyClient<EventBridgeClient> lazyClient() {
        return LazyClient.of(() -> Aws.configure(EventBridgeClient.builder(), "EVENTBRIDGE").httpClient(Aws.httpClient()).build());
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        String json = Json.write(detail);
        try {
            var response = bus.get().putEvents(p -> p.entries(e -> e.eventBusName(busName).source(source).detailType(detailType).detail(json)));
            // PutEvents answers 200 with per-entry failures: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw StorageException.busy("the event bus refused the event: " + response.entries().get(0).errorCode(), null);
            }
        } catch (SdkException e) {
            throw StorageException.busy("the event bus is unavailable", e);
        }
    }
}
