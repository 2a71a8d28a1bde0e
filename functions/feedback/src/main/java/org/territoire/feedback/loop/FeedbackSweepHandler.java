package org.territoire.feedback.loop;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.DynamoOutbox;
import org.territoire.shared.events.Outbox;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.ScheduledRun;

/**
 * Runs every hour on an EventBridge schedule: asks the authors of reports resolved long enough
 * ago whether they are really fixed ({@link LoopService#sweep}). The event is not trusted for the
 * time: the function's clock says what is due.
 */
public final class FeedbackSweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackSweepHandler.class);

    /** Kept events one run publishes again at most; the next run takes the rest. */
    static final int OUTBOX_BATCH = 100;

    private final LoopService loop;
    private final Clock clock;
    private final Outbox outbox;
    private final DomainEvents bus;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public FeedbackSweepHandler() {
        this(LoopWiring.eventsFromEnvironment(), Env.require("FEEDBACK_TABLE"));
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private FeedbackSweepHandler(DomainEvents bus, String table) {
        // The sweep's own events take the bus as it is (a refused check stays in its index); the outbox holds the routes'.
        this(LoopWiring.service(Aws.dynamoDb(), table, Clock.systemUTC(), PaginationKey.load(), bus,
                LoopWiring.checkAfterFromEnvironment()), Clock.systemUTC(), new DynamoOutbox(Aws.dynamoDb(), table), bus);
    }

    /** For tests: the service and the clock the sweep runs at, with an empty outbox. */
    public FeedbackSweepHandler(LoopService loop, Clock clock) {
        this(loop, clock, org.territoire.shared.events.Outbox.NONE, DomainEvents.NONE);
    }

    /** For tests: also the outbox of the routes' events the bus refused, and the bus to publish them on again. */
    public FeedbackSweepHandler(LoopService loop, Clock clock, Outbox outbox, DomainEvents bus) {
        this.loop = loop;
        this.clock = clock;
        this.outbox = outbox;
        this.bus = bus;
    }

    /**
     * SnapStart: the outbox read (as an export reads it: never resent, a kept event would be published from the snapshot) and the loop's two reads at the epoch, when nothing is due (nothing marked,
     * published again or announced). The public figures the sweep also computes when they are due are not:
     * that is a write.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE,
                event -> outbox.naming(org.territoire.shared.observability.EventPriming.ABSENT).size(), event -> loop.sweepReads(java.time.Instant.EPOCH));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduledRun.answer(input, output, context, () -> {
            java.time.Instant now = clock.instant();
            // First what the bus refused the routes earlier (the table's outbox), then what is due now.
            Outbox.Resent r = outbox.resendInSweep(bus, now, OUTBOX_BATCH);
            LoopService.SweepSummary s = loop.sweep(now);
            Observability.count("ResolutionChecksDue", s.markedDue());
            Observability.count("ResolutionChecksRepublished", s.republished());
            // Checks the sweep could not mark or announce and kept events it could not publish (each logged); an alarm watches it.
            Observability.count("SweepFailures", s.failed() + r.failed());
            LOG.info("sweep done: {}, outbox {}", s, r);
            java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("markedDue", s.markedDue());
            answer.put("republished", s.republished());
            answer.put("failed", s.failed() + r.failed());
            answer.put("statsComputed", s.statsComputed());
            answer.put("resent", r.resent());
            return answer;
        });
    }
}
