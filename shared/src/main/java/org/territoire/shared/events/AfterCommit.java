package org.territoire.shared.events;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.observability.Observability;

/**
 * Domain events published after the write they tell of is committed: when the bus still refuses
 * after the SDK's retries, the write stands, the event is logged with its detail (ids, states and
 * times only, by the port's contract) and counted as {@code EventsUnpublished}, which is alarmed
 * (docs/decisions.md, "Domain events after the write").
 */
public final class AfterCommit implements DomainEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommit.class);
    private final DomainEvents bus;

    public AfterCommit(DomainEvents bus) {
        this.bus = bus;
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        try {
            bus.publish(detailType, detail);
        } catch (RuntimeException e) {
            Observability.count("EventsUnpublished");
            LOG.error("the bus refused {} {}: {}", detailType, org.territoire.shared.json.Json.write(detail), e.toString());
        }
    }
}
