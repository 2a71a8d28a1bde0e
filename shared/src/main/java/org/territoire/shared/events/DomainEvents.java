package org.territoire.shared.events;

import java.util.Map;

/**
 * A capability's domain events on the territory's bus. Each capability publishes what happened
 * to its own objects (never reading another's table); consumers such as notifications subscribe by
 * rule. The detail is a small JSON object of ids, states and times: no one's personal data beyond
 * the pseudonymous account ids of those concerned.
 */
public interface DomainEvents {
    /** Publishes one event; throws {@link org.territoire.shared.ddb.StorageException} when the bus refuses it. */
    void publish(String detailType, Map<String, Object> detail);

    /** For functions and tests that publish nothing. */
    DomainEvents NONE = (detailType, detail) -> { };
}
