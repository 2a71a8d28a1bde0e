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
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.ScheduledRun;

/**
 * Runs every hour on an EventBridge schedule: asks the authors of reports resolved long enough
 * ago whether they are really fixed ({@link LoopService#sweep}). The event is not trusted for the
 * time: the function's clock says what is due.
 */
public final class FeedbackSweepHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackSweepHandler.class);

    private final LoopService loop;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public FeedbackSweepHandler() {
        this(LoopWiring.service(Aws.dynamoDb(), Env.require("FEEDBACK_TABLE"), Clock.systemUTC(), PaginationKey.load(),
                LoopWiring.eventsFromEnvironment(), LoopWiring.checkAfterFromEnvironment()), Clock.systemUTC());
    }

    /** For tests: the service and the clock the sweep runs at. */
    public FeedbackSweepHandler(LoopService loop, Clock clock) {
        this.loop = loop;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduledRun.answer(input, output, context, () -> {
            LoopService.SweepSummary s = loop.sweep(clock.instant());
            Observability.count("ResolutionChecksDue", s.markedDue());
            Observability.count("ResolutionChecksRepublished", s.republished());
            // Checks the sweep could not mark or announce (each logged with its report); an alarm watches it.
            Observability.count("SweepFailures", s.failed());
            LOG.info("sweep done: {}", s);
            return s;
        });
    }
}
