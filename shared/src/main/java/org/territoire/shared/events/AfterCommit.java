package org.territoire.shared.events;

import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.observability.Observability;

/**
 * Domain events published after the write they tell of is committed: when the bus still refuses
 * after the SDK's retries, the write stands and the event is kept in the capability's
 * {@link Outbox}, which its sweep publishes again ({@code EventsDeferred}). Without an outbox, or
 * when keeping it fails too, the event is logged with its detail (ids, states and times only, by
 * the port's contract) and counted as {@code EventsUnpublished}, which is alarmed
 * (docs/decisions.md, "Domain events after the write").
 */
public final class AfterCommit implements DomainEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AfterCommit.class);
    private final DomainEvents bus;
    private final Outbox outbox;
    private final Clock clock;
    private final boolean throwWhenLost;

    public AfterCommit(DomainEvents bus) {
        this(bus, null, Clock.systemUTC());
    }

    /** @param outbox where a refused event waits for the capability's sweep; null: logged and counted only */
    public AfterCommit(DomainEvents bus, Outbox outbox, Clock clock) {
        this(bus, outbox, clock, false);
    }

    private AfterCommit(DomainEvents bus, Outbox outbox, Clock clock, boolean throwWhenLost) {
        this.bus = bus;
        this.outbox = outbox;
        this.clock = clock;
        this.throwWhenLost = throwWhenLost;
    }

    /**
     * For events that must not be lost, whose caller can retry the whole call (an account's erasure, its export): a refused
     * event is kept as above, but when keeping it fails too the refusal is thrown (counted {@code EventsUnpublished}), so the
     * call fails and its retry publishes it.
     */
    public static AfterCommit orThrow(DomainEvents bus, Outbox outbox, Clock clock) {
        return new AfterCommit(bus, outbox, clock, true);
    }

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        try {
            bus.publish(detailType, detail);
        } catch (RuntimeException e) {
            if (outbox != null) {
                try {
                    outbox.keep(detailType, detail, clock.instant());
                    Observability.count("EventsDeferred");
                    LOG.warn("the bus refused {}, kept for the sweep to publish again: {}", detailType, e.toString());
                    return;
                } catch (RuntimeException keeping) {
                    e.addSuppressed(keeping);
                }
            }
            Observability.count("EventsUnpublished");
            LOG.error("the bus refused {} {}: {}", detailType, org.territoire.shared.json.Json.write(detail), e.toString());
            if (throwWhenLost) {
                throw e;
            }
        }
    }
}
