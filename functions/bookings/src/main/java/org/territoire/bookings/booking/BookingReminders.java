package org.territoire.bookings.booking;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.events.DomainEvents;

/**
 * Publishes {@code Booking Reminder Due} once per confirmed booking, a lead before its start.
 * The mark comes first (a conditional write on the booking), the event after it: two sweeps at
 * once remind once, and a booking cancelled before its reminder fails the condition and gets none.
 * A bus that refuses after the mark: the reminder waits in the capability's outbox, which the next
 * sweep publishes again (docs/decisions.md, "Domain events after the write").
 */
public final class BookingReminders {
    private static final Logger LOG = LoggerFactory.getLogger(BookingReminders.class);

    /** What one run did: reminders published, bookings another sweep or a cancellation took first, failures. */
    public record Summary(int reminded, int skipped, int failed) {
    }

    private final ReminderRepository bookings;
    private final DomainEvents events;
    private final Duration lead;

    public BookingReminders(ReminderRepository bookings, DomainEvents events, Duration lead) {
        if (lead.isNegative() || lead.isZero()) {
            throw new IllegalArgumentException("the reminder lead must be positive");
        }
        this.bookings = bookings;
        this.events = events;
        this.lead = lead;
    }

    public Summary remind(Instant now) {
        int reminded = 0;
        int skipped = 0;
        int failed = 0;
        for (Booking b : bookings.dueForReminder(now, lead)) {
            try {
                if (bookings.markReminded(b, now)) {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("bookingId", b.id());
                    detail.put("bookerId", b.userId());
                    detail.put("start", org.territoire.shared.json.Json.time(b.start()));
                    events.publish("Booking Reminder Due", detail);
                    reminded++;
                } else {
                    skipped++;
                }
            } catch (RuntimeException e) {
                failed++;
                LOG.error("could not remind booking {}", b.id(), e);
            }
        }
        return new Summary(reminded, skipped, failed);
    }
}
