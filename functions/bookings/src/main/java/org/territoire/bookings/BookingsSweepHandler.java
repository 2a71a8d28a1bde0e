package org.territoire.bookings;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.bookings.booking.BookingReminders;
import org.territoire.bookings.booking.BookingSweeper;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;

/**
 * Runs every few minutes on an EventBridge schedule: settles the bookings that time has
 * overtaken (no-shows, completions, pending bookings never approved), see {@link BookingSweeper}, and
 * publishes the reminders of the confirmed bookings about to start, see {@link BookingReminders}.
 */
public final class BookingsSweepHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(BookingsSweepHandler.class);

    /** Kept events one run publishes again at most; the next run takes the rest. */
    static final int OUTBOX_BATCH = 100;

    private final BookingSweeper sweeper;
    private final BookingReminders reminders;
    private final org.territoire.shared.events.Outbox outbox;
    private final org.territoire.shared.events.DomainEvents bus;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsSweepHandler() {
        this(Wiring.fromEnvironment());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private BookingsSweepHandler(Wiring w) {
        this(w.sweeper(), w.reminders(), w.outbox(), Wiring.bus(), w.clock());
    }

    /** For tests: a sweeper, the reminders and the clock they run at, with an empty outbox. */
    public BookingsSweepHandler(BookingSweeper sweeper, BookingReminders reminders, Clock clock) {
        this(sweeper, reminders, org.territoire.shared.events.Outbox.NONE, org.territoire.shared.events.DomainEvents.NONE, clock);
    }

    /** For tests: also the outbox of the events the bus refused (the routes' and the reminders'), and the bus to publish them on again. */
    public BookingsSweepHandler(BookingSweeper sweeper, BookingReminders reminders, org.territoire.shared.events.Outbox outbox,
                                org.territoire.shared.events.DomainEvents bus, Clock clock) {
        this.sweeper = sweeper;
        this.reminders = reminders;
        this.outbox = outbox;
        this.bus = bus;
        this.clock = clock;
    }

    /** SnapStart: both sweeps' reads at the epoch, when nothing is due (nothing settled, no reminder published). */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE, event -> sweeper.sweep(java.time.Instant.EPOCH),
                event -> reminders.remind(java.time.Instant.EPOCH));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        java.util.Map<String, Object> summary = Logging.withLogging(context, "id", event, () -> {
            try {
                java.time.Instant now = clock.instant();
                // First what the bus refused earlier (this capability's outbox), then what is due now.
                org.territoire.shared.events.Outbox.Resent o = outbox.resendInSweep(bus, now, OUTBOX_BATCH);
                BookingSweeper.Summary s = sweeper.sweep(now);
                BookingReminders.Summary r = reminders.remind(now);
                Observability.count("RemindersPublished", r.reminded());
                Observability.count("NoShows", s.noShows());
                Observability.count("Completed", s.completed());
                Observability.count("UnapprovedCancelled", s.cancelledUnapproved());
                // Bookings the sweep could not settle (each logged with its id); an alarm watches it.
                Observability.count("SweepFailures", s.failed() + r.failed() + o.failed());
                LOG.info("sweep done: {}, reminders: {}, outbox: {}", s, r, o);
                // The settling's summary as before, with what the outbox published again.
                java.util.Map<String, Object> answer = new java.util.LinkedHashMap<>(Json.MAPPER.convertValue(s,
                        new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() {
                        }));
                answer.put("resent", o.resent());
                return answer;
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(summary).getBytes(StandardCharsets.UTF_8));
    }
}
