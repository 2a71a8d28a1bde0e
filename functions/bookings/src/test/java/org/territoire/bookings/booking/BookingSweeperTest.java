package org.territoire.bookings.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.memory.MemoryBookings;
import org.territoire.bookings.memory.MemoryQuotaRules;
import org.territoire.bookings.memory.MemoryResources;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.identity.Caller;

/**
 * The sweep, over memory stores that keep the counters: each overtaken booking is settled
 * once, gives back what it still holds, and a booking settled meanwhile is left alone.
 */
@Tag("unit")
class BookingSweeperTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z"); // Monday 09:00 in Paris
    private final MutableClock clock = new MutableClock(NOW);
    private final MemoryResources resources = new MemoryResources();
    private final MemoryBookings bookings = new MemoryBookings();
    private final MemoryQuotaRules quotas = new MemoryQuotaRules();
    private final BookingService service = new BookingService(resources, bookings, quotas, (r, b) -> { }, clock);
    private final BookingSweeper sweeper = new BookingSweeper(resources, bookings, quotas);
    private final Caller alice = Caller.fromClaims(Map.of("sub", "alice", "cognito:groups", "[resident]",
            "custom:district", "centre")).orElseThrow();

    @Test
    void aConfirmedBookingNobodyCheckedIn_becomesANoShow_andFreesTheSlotsNotBegun() {
        Resource room = room(false);
        quotas.save(new QuotaRule(ResourceKind.COMMON_ROOM, 1, 600, NOW));
        Booking b = service.book(alice, command(room, "2026-12-01T10:00+01:00", "2026-12-01T12:00+01:00"));
        Instant first = b.start();
        Instant second = b.start().plus(Duration.ofHours(1));

        assertThat(sweeper.sweep(b.start().plus(Booking.NO_SHOW_GRACE).minusSeconds(1)).noShows()).as("not yet").isZero();
        BookingSweeper.Summary summary = sweeper.sweep(b.start().plus(Booking.NO_SHOW_GRACE));

        assertThat(summary).isEqualTo(new BookingSweeper.Summary(0, 1, 0, 0, 0));
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.NO_SHOW);
        assertThat(bookings.booked(room.id(), first)).as("the slot under way stays with the no-show").isEqualTo(1);
        assertThat(bookings.booked(room.id(), second)).isZero();
        assertThat(bookings.heldTokens("alice", ResourceKind.COMMON_ROOM)).as("its quota token is given back").isEmpty();
        assertThat(sweeper.sweep(b.end()).noShows()).as("settled once").isZero();
    }

    @Test
    void aPendingBookingNeverApproved_isCancelledAtItsStart_givingBackEverything() {
        Resource room = room(true);
        quotas.save(new QuotaRule(ResourceKind.COMMON_ROOM, null, 600, NOW));
        Booking b = service.book(alice, command(room, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00"));
        assertThat(b.status()).isEqualTo(BookingStatus.PENDING);

        BookingSweeper.Summary summary = sweeper.sweep(b.start());

        assertThat(summary.cancelledUnapproved()).isEqualTo(1);
        Booking cancelled = bookings.findBooking(b.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(BookingStatus.CANCELLED);
        assertThat(cancelled.cancelledBy()).isEqualTo("system");
        assertThat(bookings.booked(room.id(), b.start())).isZero();
        assertThat(bookings.weekMinutes("alice", ResourceKind.COMMON_ROOM, java.time.LocalDate.of(2026, 11, 30))).isZero();
    }

    @Test
    void aCheckedInBooking_isCompletedAtItsEnd() {
        Resource room = room(false);
        Booking b = service.book(alice, command(room, "2026-11-30T09:00+01:00", "2026-11-30T10:00+01:00"));
        service.checkIn(alice, b.id());

        assertThat(sweeper.sweep(b.end().minusSeconds(1)).completed()).isZero();
        assertThat(sweeper.sweep(b.end())).isEqualTo(new BookingSweeper.Summary(0, 0, 1, 0, 0));
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.COMPLETED);
        assertThat(bookings.booked(room.id(), b.start())).as("a completed booking keeps what it used").isEqualTo(1);
    }

    @Test
    void aBookingCheckedInWhileTheSweepRan_isSkipped_notMarkedNoShow() {
        Resource room = room(false);
        Booking b = service.book(alice, command(room, "2026-11-30T09:00+01:00", "2026-11-30T10:00+01:00"));
        BookingRepository checkInRacesTheSweep = new DelegatingBookings(bookings) {
            @Override
            public boolean markNoShow(Booking booking, Release release, Instant at) {
                bookings.transition(booking, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, at);
                return super.markNoShow(booking, release, at);
            }
        };

        BookingSweeper.Summary summary = new BookingSweeper(resources, checkInRacesTheSweep, quotas)
                .sweep(b.start().plus(Booking.NO_SHOW_GRACE));

        assertThat(summary).isEqualTo(new BookingSweeper.Summary(0, 0, 0, 1, 0));
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.CHECKED_IN);
        assertThat(bookings.booked(room.id(), b.start())).isEqualTo(1);
    }

    @Test
    void aBookingOfAResourceNoLongerFound_isSkipped() {
        Resource room = room(false);
        Booking b = service.book(alice, command(room, "2026-11-30T09:00+01:00", "2026-11-30T10:00+01:00"));
        resources.stored.clear();

        assertThat(sweeper.sweep(b.start().plus(Booking.NO_SHOW_GRACE)).skipped()).isEqualTo(1);
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);
    }

    private Resource room(boolean approval) {
        Caller operator = Caller.fromClaims(Map.of("sub", "p-1", "cognito:groups", "[provider]", "custom:organisation", "mairie"))
                .orElseThrow();
        return new ResourceService(resources, clock, ZoneId.of("Europe/Paris")).create(operator, new CreateResourceCommand(
                ResourceKind.COMMON_ROOM, "Salle polyvalente", null, null, "centre", null, 1, 60, null, null, null, 240, 0, 30,
                0, null, approval, null, null));
    }

    private static CreateBookingCommand command(Resource r, String start, String end) {
        return new CreateBookingCommand(r.id(), OffsetDateTime.parse(start), OffsetDateTime.parse(end), 1);
    }

    /** Passes every call on; a test overrides the one it races. */
    private static class DelegatingBookings implements BookingRepository {
        private final BookingRepository inner;

        DelegatingBookings(BookingRepository inner) {
            this.inner = inner;
        }

        public void reserve(Reservation r) { inner.reserve(r); }
        public boolean cancel(Booking b, Release r, String by, String reason, Instant at) { return inner.cancel(b, r, by, reason, at); }
        public java.util.List<Booking> due(Instant now) { return inner.due(now); }
        public boolean markNoShow(Booking b, Release r, Instant at) { return inner.markNoShow(b, r, at); }
        public boolean transition(Booking b, BookingStatus from, BookingStatus to, Instant at) { return inner.transition(b, from, to, at); }
        public java.util.Optional<Booking> findBooking(String id) { return inner.findBooking(id); }
        public org.territoire.shared.page.Page<Booking> ofUser(String u, int l, java.util.Optional<String> t) { return inner.ofUser(u, l, t); }
        public org.territoire.shared.page.Page<Booking> ofResource(String r, int l, java.util.Optional<String> t) { return inner.ofResource(r, l, t); }
        public java.util.List<Booking> ofResourceStartingBetween(String r, Instant f, Instant t) { return inner.ofResourceStartingBetween(r, f, t); }
        public Map<Instant, Integer> usage(String r, Instant f, Instant t) { return inner.usage(r, f, t); }
        public Map<Integer, Instant> heldTokens(String u, ResourceKind k) { return inner.heldTokens(u, k); }
    }
}
