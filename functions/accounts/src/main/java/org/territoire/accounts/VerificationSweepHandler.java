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
 * {@code resident} group (see {@link VerificationExpiry}).
 */
public final class VerificationSweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationSweepHandler.class);

    private final VerificationExpiry expiry;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public VerificationSweepHandler() {
        this(Wiring.expiryFromEnvironment(), Clock.systemUTC());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests: the sweep and the clock it runs at. */
    public VerificationSweepHandler(VerificationExpiry expiry, Clock clock) {
        this.expiry = expiry;
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
            VerificationExpiry.Summary s = expiry.sweep(clock.instant());
            Observability.count("VerificationsExpired", s.expired());
            Observability.count("RenewedMeanwhile", s.renewed());
            // Lapses the sweep could not settle (retried next run); an alarm watches it.
            Observability.count("SweepFailures", s.failed());
            LOG.info("sweep done: {}", s);
            return s;
        });
    }
}
