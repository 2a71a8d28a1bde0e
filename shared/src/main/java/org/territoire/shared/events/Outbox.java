package org.territoire.shared.events;

import java.time.Instant;
import java.util.Map;

/** Where a capability keeps the events the bus refused after their write committed, to publish them again (see DynamoOutbox). */
public interface Outbox {
    /** What one pass of {@link #resend} did. */
    record Resent(int resent, int failed) {
    }

    /**
     * The outbox of a sweep built for tests without one: nothing kept to publish again. Keeping refuses (it would be
     * lost), so that a test which should have wired a real outbox fails instead of dropping an event.
     */
    Outbox NONE = new Outbox() {
        @Override
        public void keep(String detailType, Map<String, Object> detail, Instant at) {
            throw new UnsupportedOperationException("this outbox keeps nothing");
        }

        @Override
        public Resent resend(DomainEvents bus, Instant now, int limit) {
            return new Resent(0, 0);
        }
    };

    /** Keeps the event; throws when it cannot (the caller then logs it, as the last resort). */
    void keep(String detailType, Map<String, Object> detail, Instant at);

    /** What one kept event says, for a person's export: its type, when it was kept, its detail. */
    record Kept(String detailType, Instant keptAt, Map<String, Object> detail) {
    }

    /**
     * The kept events whose detail names the account (an account id is a value of the detail, or of a list in it): a person's
     * data until they are published or expire, so part of their export.
     */
    default java.util.List<Kept> naming(String accountId) {
        return java.util.List.of();
    }

    /** Forgets the kept events whose detail names the account (its erasure); idempotent; returns how many it removed. */
    default int forget(String accountId) {
        return 0;
    }

    /** Publishes again, once each, up to {@code limit} kept events on {@code bus} (whose refusals throw), and forgets those it took. */
    Resent resend(DomainEvents bus, Instant now, int limit);

    /**
     * A sweep's pass over the outbox: {@link #resend}, counted as {@code EventsResent}; an outbox that cannot be read (the
     * table busy) is logged and reported as one failure, so that the rest of the sweep still runs and the next run reads it again.
     */
    default Resent resendInSweep(DomainEvents bus, Instant now, int limit) {
        Resent r;
        try {
            r = resend(bus, now, limit);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Outbox.class).error("could not read the outbox: {}", e.toString());
            r = new Resent(0, 1);
        }
        org.territoire.shared.observability.Observability.count("EventsResent", r.resent());
        return r;
    }
}
