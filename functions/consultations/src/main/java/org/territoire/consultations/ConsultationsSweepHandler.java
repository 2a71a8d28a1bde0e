package org.territoire.consultations;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.consultations.budget.BudgetService;
import org.territoire.consultations.budget.store.DynamoBudgetRepository;
import org.territoire.consultations.consultation.OpeningAnnouncements;
import org.territoire.consultations.store.DynamoOpenings;
import org.territoire.shared.events.AfterCommit;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.DynamoOutbox;
import org.territoire.shared.events.Outbox;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.ScheduledRun;

/**
 * Runs every 15 minutes on an EventBridge schedule: announces the consultations whose opening time
 * has passed ({@link OpeningAnnouncements}, "Consultation Opened") and the budgets whose vote has
 * opened ("Budget Vote Opened"), after, once per deployment, putting into the openings' index what
 * was scheduled before it existed ({@link OpeningAnnouncements#backfillOnce}), and reminds the residents with a participatory
 * budget draft they never confirmed, once, when the vote closes within BUDGET_REMINDER_LEAD_HOURS
 * ({@link BudgetService#remindUnconfirmedDrafts}). The event is not trusted for the time: the
 * function's clock says what is due.
 */
public final class ConsultationsSweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(ConsultationsSweepHandler.class);
    static final String LEAD_VARIABLE = "BUDGET_REMINDER_LEAD_HOURS";
    /** Kept events one run publishes again at most; the next run takes the rest. */
    static final int OUTBOX_BATCH = 100;

    private final BudgetService budgets;
    private final OpeningAnnouncements openings;
    private final Outbox outbox;
    private final DomainEvents bus;
    private final Clock clock;
    private final Duration lead;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public ConsultationsSweepHandler() {
        this(Wiring.busFromEnvironment(), Env.require(Wiring.TABLE_VARIABLE));
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private ConsultationsSweepHandler(DomainEvents bus, String table) {
        this(bus, new DynamoOutbox(Aws.dynamoDb(), table), table);
    }

    private ConsultationsSweepHandler(DomainEvents bus, Outbox outbox, String table) {
        // The sweep hands no page token to anyone: its repository needs no pagination key (nor the secret holding it).
        // Openings take the bus as it is (a refusal leaves the opening claimed, for the next sweep); a refused reminder waits
        // in the outbox, which this sweep publishes again.
        this(new BudgetService(new DynamoBudgetRepository(Aws.dynamoDb(), table, null), Clock.systemUTC())
                        .publishingTo(new AfterCommit(bus, outbox, Clock.systemUTC())),
                new OpeningAnnouncements(new DynamoOpenings(Aws.dynamoDb(), table), bus), outbox, bus, Clock.systemUTC(),
                lead(System.getenv(LEAD_VARIABLE)));
    }

    /**
     * For tests: the services (with their events), the outbox of events the bus refused and the bus to publish them on again,
     * the clock the sweep runs at, the lead before the close.
     */
    public ConsultationsSweepHandler(BudgetService budgets, OpeningAnnouncements openings, Outbox outbox, DomainEvents bus,
                                     Clock clock, Duration lead) {
        this.budgets = budgets;
        this.openings = openings;
        this.outbox = outbox;
        this.bus = bus;
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

    /**
     * SnapStart: the three reads, none of which writes: the outbox read as an export reads it (never resent: a kept event
     * would be published from the snapshot), the openings and the drafts at the epoch, when nothing is due.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE, event -> outbox.naming(org.territoire.shared.observability.EventPriming.ABSENT).size(), event -> openings.sweep(Instant.EPOCH),
                event -> budgets.remindUnconfirmedDrafts(Instant.EPOCH, lead));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ScheduledRun.answer(input, output, context, () -> {
            Instant now = clock.instant();
            // First what the bus refused earlier (this capability's outbox), then what is due now.
            Outbox.Resent r = outbox.resendInSweep(bus, now, OUTBOX_BATCH);
            // Once per deployment (a marker says it is done): what was scheduled before the openings' index goes into it.
            int backfilled = 0;
            int backfillFailed = 0;
            try {
                backfilled = openings.backfillOnce(now);
            } catch (RuntimeException e) {
                // Not done (no marker written): the next run tries again; the announcements and reminders still run now.
                backfillFailed = 1;
                LOG.error("could not backfill the openings' index: {}", e.toString());
            }
            OpeningAnnouncements.Summary o = openings.sweep(now);
            Observability.count("ConsultationsAnnounced", o.announced() + o.votesAnnounced() + o.republished());
            BudgetService.ReminderSummary s = budgets.remindUnconfirmedDrafts(now, lead);
            Observability.count("BudgetDraftReminders", s.reminded());
            // Drafts the sweep could not mark and openings it could not announce (each logged with its id); an alarm watches it.
            Observability.count("SweepFailures", s.failed() + o.failed() + r.failed() + backfillFailed);
            LOG.info("sweep done: {}, openings {}, outbox {}", s, o, r);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("budgets", s.budgets());
            answer.put("reminded", s.reminded());
            answer.put("failed", s.failed() + o.failed() + r.failed() + backfillFailed);
            answer.put("announced", o.announced());
            answer.put("votesAnnounced", o.votesAnnounced());
            answer.put("backfilled", backfilled);
            answer.put("republished", o.republished());
            answer.put("tooLate", o.tooLate());
            answer.put("resent", r.resent());
            return answer;
        });
    }
}
