package org.territoire.accounts.events;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.accounts.account.AccountEvents;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.EventBridgeDomainEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The account events on the territory's bus; each capability's rule delivers them to its own consumer. Published through a
 * {@link DomainEvents} under {@value AccountEvents#SOURCE}: the function's is an {@link org.territoire.shared.events.AfterCommit}
 * over the table's outbox (docs/decisions.md, "Domain events after the write").
 */
public final class EventBridgeAccountEvents implements AccountEvents {
    private final DomainEvents events;

    public EventBridgeAccountEvents(EventBridgeClient bus, String busName) {
        this(() -> bus, busName);
    }

    /** With a client made on the first event ({@link org.territoire.shared.ddb.LazyClient}): reads publish nothing; refusals throw. */
    public EventBridgeAccountEvents(java.util.function.Supplier<EventBridgeClient> bus, String busName) {
        this(bus(bus, busName));
    }

    public EventBridgeAccountEvents(DomainEvents events) {
        this.events = events;
    }

    /** The bus under the accounts' source, whose refusals throw. */
    public static DomainEvents bus(java.util.function.Supplier<EventBridgeClient> bus, String busName) {
        return new EventBridgeDomainEvents(bus, busName, SOURCE);
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
        events.publish(detailType, detail);
    }
}
