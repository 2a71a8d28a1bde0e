package org.territoire.accounts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.accounts.verification.VerificationExpiry;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.ScheduledRun;

/**
 * Runs on an EventBridge schedule: takes the people whose verification has lapsed out of the
 * {@code resident} group (see {@link VerificationExpiry}). First it publishes again the account events the bus refused
 * (Account Deleted, Account Export Requested), kept in the table's outbox: this capability's one scheduled function, so the
 * cheapest place (docs/decisions.md, "Domain events after the write").
 */
public final class VerificationSweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationSweepHandler.class);

    /** Kept events one run publishes again at most; the next run takes the rest. */
    static final int OUTBOX_BATCH = 100;

    private final VerificationExpiry expiry;
    private final org.territoire.shared.events.Outbox outbox;
    private final org.territoire.shared.events.DomainEvents bus;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public VerificationSweepHandler() {
        this(Wiring.expiryFromEnvironment(), Wiring.outboxFromEnvironment(), Wiring.busFromEnvironment(), Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests: the sweep and the clock it runs at, with an empty outbox. */
    public VerificationSweepHandler(VerificationExpiry expiry, Clock clock) {
        this(expiry, org.territoire.shared.events.Outbox.NONE, org.territoire.shared.events.DomainEvents.NONE, clock);
    }

    /** For tests: also the outbox of the account events the bus refused, and the bus to publish them on again. */
    public VerificationSweepHandler(VerificationExpiry expiry, org.territoire.shared.events.Outbox outbox,
                                    org.territoire.shared.events.DomainEvents bus, Clock clock) {
        this.expiry = expiry;
        this.outbox = outbox;
        this.bus = bus;
        this.clock = clock;
    }

    /** SnapStart: the lapsed verifications read at the epoch, when none has lapsed (nobody leaves a group). */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE, event -> expiry.sweep(java.time.Instant.EPOCH));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduledRun.answer(input, output, context, () -> {
            java.time.Instant now = clock.instant();
            // First what the bus refused earlier (an erasure or an export the other capabilities wait for), then the lapses.
            org.territoire.shared.events.Outbox.Resent o = outbox.resendInSweep(bus, now, OUTBOX_BATCH);
            VerificationExpiry.Summary s = expiry.sweep(now);
            Observability.count("VerificationsExpired", s.expired());
            Observability.count("RenewedMeanwhile", s.renewed());
            // Lapses the sweep could not settle (retried next run); an alarm watches it.
            Observability.count("SweepFailures", s.failed() + o.failed());
            LOG.info("sweep done: {}, outbox {}", s, o);
            java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("expired", s.expired());
            answer.put("renewed", s.renewed());
            answer.put("failed", s.failed() + o.failed());
            answer.put("resent", o.resent());
            return answer;
        });
    }
}
