package org.territoire.bookings.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.memory.MemoryBookings;
import org.territoire.bookings.memory.MemoryCalendarFeeds;
import org.territoire.bookings.memory.MemoryResources;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** The secret calendar feed: only a hash is kept, a new secret retires the old, a feed shows its owner's bookings only. */
@Tag("unit")
class CalendarServiceTest {
    private final MemoryCalendarFeeds feeds = new MemoryCalendarFeeds();
    private final MemoryBookings bookings = new MemoryBookings();
    private final MemoryResources resources = new MemoryResources();
    private final CalendarService service = new CalendarService(feeds, bookings, resources,
            java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T10:00:00Z"), java.time.ZoneOffset.UTC), "https://app.example.fr/bookings/");

    @Test
    void aNewSecret_isStoredAsItsHashOnly_andOpensItsOwnersFeed() {
        bookings.put(booking("b-1", "alice", BookingStatus.CONFIRMED));
        bookings.put(booking("b-2", "alice", BookingStatus.PENDING));
        bookings.put(booking("b-3", "bob", BookingStatus.CONFIRMED));

        String secret = service.newFeedSecret(alice());

        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(feeds.hashOfUser).containsEntry("alice", CalendarService.hash(secret));
        assertThat(feeds.hashOfUser.values()).doesNotContain(secret);
        assertThat(feeds.ownerOfHash.keySet()).doesNotContain(secret);
        String feed = service.feed(secret + ".ics").ics();
        assertThat(feed).startsWith("BEGIN:VCALENDAR").contains("UID:b-1@territoire", "UID:b-2@territoire", "STATUS:TENTATIVE")
                .doesNotContain("b-3");
        assertThat(feed).as("a resource no longer found is still shown, by a generic name").contains("SUMMARY:Réservation");
    }

    @Test
    void aNewSecret_retiresThePreviousOne() {
        String first = service.newFeedSecret(alice());
        String second = service.newFeedSecret(alice());

        assertThat(second).isNotEqualTo(first);
        assertThat(service.feed(second).ics()).contains("BEGIN:VCALENDAR");
        assertThatThrownBy(() -> service.feed(first)).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void aMalformedOrUnknownSecret_isNotFound_withoutReadingTheFeeds() {
        assertThatThrownBy(() -> service.feed("short")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.feed("a".repeat(43) + ".ics")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.feed("../../etc/passwd" + "a".repeat(30))).isInstanceOf(DomainError.NotFound.class);
    }

    private static Booking booking(String id, String user, BookingStatus status) {
        Instant start = Instant.parse("2026-12-02T09:00:00Z");
        return new Booking(id, "room-1", ResourceKind.COMMON_ROOM, user, start, start.plusSeconds(3600), 1, status,
                Instant.parse("2026-11-30T08:00:00Z"), null, null, null, null);
    }

    private static Caller alice() {
        return Caller.fromClaims(Map.of("sub", "alice", "cognito:groups", "[resident]", "custom:district", "centre")).orElseThrow();
    }
}
