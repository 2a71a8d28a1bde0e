package org.territoire.consultations;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.consultations.budget.BudgetService;
import org.territoire.consultations.budget.store.DynamoBudgetRepository;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.ScheduledRun;

/**
 * Runs every 15 minutes on an EventBridge schedule: reminds the residents with a participatory
 * budget draft they never confirmed, once, when the vote closes within BUDGET_REMINDER_LEAD_HOURS
 * ({@link BudgetService#remindUnconfirmedDrafts}). The event is not trusted for the time: the
 * function's clock says what is due.
 */
public final class ConsultationsSweepHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ConsultationsSweepHandler.class);
    static final String LEAD_VARIABLE = "BUDGET_REMINDER_LEAD_HOURS";

    private final BudgetService budgets;
    private final Clock clock;
    private final Duration lead;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public ConsultationsSweepHandler() {
        // The sweep hands no page token to anyone: its repository needs no pagination key (nor the secret holding it).
        this(new BudgetService(new DynamoBudgetRepository(Aws.dynamoDb(), Env.require(Wiring.TABLE_VARIABLE), null), Clock.systemUTC())
                .publishingTo(Wiring.eventsFromEnvironment()), Clock.systemUTC(), lead(System.getenv(LEAD_VARIABLE)));
    }

    /** For tests: the service (with its events), the clock the sweep runs at, the lead before the close. */
    public ConsultationsSweepHandler(BudgetService budgets, Clock clock, Duration lead) {
        this.budgets = budgets;
        this.clock = clock;
        this.lead = lead;
    }

    static Duration lead(String hours) {
        if (hours == null || hours.isBlank()) {
            return Duration.ofHours(48);
        }
        long h = Long.parseLong(hours.strip());
        if (h < 1 || h > 24 * 30) {
            throw new IllegalStateException(LEAD_VARIABLE + " must be between 1 and 720 hours");
        }
        return Duration.ofHours(h);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduledRun.answer(input, output, context, () -> {
            BudgetService.ReminderSummary s = budgets.remindUnconfirmedDrafts(clock.instant(), lead);
            Observability.count("BudgetDraftReminders", s.reminded());
            // Drafts the sweep could not mark (each logged with its budget); an alarm watches it.
            Observability.count("SweepFailures", s.failed());
            LOG.info("sweep done: {}", s);
            return s;
        });
    }
}
