package org.territoire.bookings.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.resources.ResourceKind;

/** The reminder's order (mark, then publish) and what a refused mark or a failing store does; the race is in BookingsApiTest. */
@Tag("unit")
class BookingRemindersTest {
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    private static Booking confirmed(String id, Instant start) {
        return new Booking(id, "r-1", ResourceKind.COMMON_ROOM, "user-" + id, start, start.plus(Duration.ofHours(1)), 1,
                BookingStatus.CONFIRMED, NOW, null, null, null, null, 0, NOW);
    }

    /** A store that marks each booking once, refuses those named (cancelled meanwhile) and fails on "broken". */
    private static final class Store implements ReminderRepository {
        final List<Booking> due = new ArrayList<>();
        final Set<String> marked = new HashSet<>();
        final Set<String> cancelled = new HashSet<>();

        @Override
        public List<Booking> dueForReminder(Instant now, Duration lead) {
            return due;
        }

        @Override
        public boolean markReminded(Booking booking, Instant at) {
            if (booking.id().equals("broken")) {
                throw new IllegalStateException("storage down");
            }
            return !cancelled.contains(booking.id()) && marked.add(booking.id());
        }
    }

    @Test
    void publishesOncePerMarkedBooking_nothingForOneCancelledMeanwhile_andGoesOnAfterAFailure() {
        Store store = new Store();
        Instant start = NOW.plus(Duration.ofHours(23));
        store.due.addAll(List.of(confirmed("broken", start), confirmed("a", start), confirmed("gone", start)));
        store.cancelled.add("gone");
        List<Map<String, Object>> published = new ArrayList<>();
        var reminders = new BookingReminders(store, (type, detail) -> published.add(detail), Duration.ofHours(24));

        assertThat(reminders.remind(NOW)).isEqualTo(new BookingReminders.Summary(1, 1, 1));
        assertThat(published).containsExactly(Map.of("bookingId", "a", "bookerId", "user-a", "start", "2026-12-02T07:00:00.000Z"));

        // The same bookings read again (a second sweep): the marks refuse them, nothing more is published.
        assertThat(reminders.remind(NOW)).isEqualTo(new BookingReminders.Summary(0, 2, 1));
        assertThat(published).hasSize(1);
    }

    @Test
    void aLeadThatIsNotPositive_isRefused() {
        assertThatThrownBy(() -> new BookingReminders(new Store(), (t, d) -> { }, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
