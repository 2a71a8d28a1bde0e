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

    private final BookingSweeper sweeper;
    private final BookingReminders reminders;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsSweepHandler() {
        this(Wiring.fromEnvironment());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private BookingsSweepHandler(Wiring w) {
        this(w.sweeper(), w.reminders(), w.clock());
    }

    /** For tests: a sweeper, the reminders and the clock they run at. */
    public BookingsSweepHandler(BookingSweeper sweeper, BookingReminders reminders, Clock clock) {
        this.sweeper = sweeper;
        this.reminders = reminders;
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
        BookingSweeper.Summary summary = Logging.withLogging(context, "id", event, () -> {
            try {
                java.time.Instant now = clock.instant();
                BookingSweeper.Summary s = sweeper.sweep(now);
                BookingReminders.Summary r = reminders.remind(now);
                Observability.count("RemindersPublished", r.reminded());
                Observability.count("NoShows", s.noShows());
                Observability.count("Completed", s.completed());
                Observability.count("UnapprovedCancelled", s.cancelledUnapproved());
                // Bookings the sweep could not settle (each logged with its id); an alarm watches it.
                Observability.count("SweepFailures", s.failed() + r.failed());
                LOG.info("sweep done: {}, reminders: {}", s, r);
                return s;
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(summary).getBytes(StandardCharsets.UTF_8));
    }
}
