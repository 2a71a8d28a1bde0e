package org.territoire.shared.events;

import java.time.Instant;
import java.util.Map;

/** Where a capability keeps the events the bus refused after their write committed, to publish them again (see DynamoOutbox). */
public interface Outbox {
    /** What one pass of {@link #resend} did. */
    record Resent(int resent, int failed) {
    }

    /** Keeps the event; throws when it cannot (the caller then logs it, as the last resort). */
    void keep(String detailType, Map<String, Object> detail, Instant at);

    /** Publishes again, once each, up to {@code limit} kept events on {@code bus} (whose refusals throw), and forgets those it took. */
    Resent resend(DomainEvents bus, Instant now, int limit);
}
