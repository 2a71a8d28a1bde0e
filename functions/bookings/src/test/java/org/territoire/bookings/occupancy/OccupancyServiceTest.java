package org.territoire.bookings.occupancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.memory.MemoryBookings;
import org.territoire.bookings.memory.MemoryOccupancy;
import org.territoire.bookings.memory.MemoryResources;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** A sensor's observations: newer only, within a week of now, and an arrival checks in the booking under way. */
@Tag("unit")
class OccupancyServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T09:05:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MemoryResources resources = new MemoryResources();
    private final MemoryBookings bookings = new MemoryBookings();
    private final MemoryOccupancy occupancy = new MemoryOccupancy();
    private final OccupancyService service = new OccupancyService(resources, bookings, occupancy, clock);
    private final Resource spot = new ResourceService(resources, clock, ZoneId.of("Europe/Paris")).create(
            Caller.fromClaims(java.util.Map.of("sub", "p-1", "cognito:groups", "[provider]", "custom:organisation", "parkings"))
                    .orElseThrow(),
            new CreateResourceCommand(ResourceKind.SHARED_PARKING, "Place 12", null, null, "centre", null, 1, 5, null, null,
                    null, 120, null, null, null, null, null, null, null));

    @Test
    void anArrival_duringAConfirmedBooking_checksItIn() {
        Booking b = booking("b-1", NOW.minusSeconds(300), NOW.plusSeconds(3300), BookingStatus.CONFIRMED);

        OccupancyService.Outcome outcome = service.observe(new Occupancy(spot.id(), true, NOW));

        assertThat(outcome.recorded()).isTrue();
        assertThat(outcome.checkedInBooking()).contains(b.id());
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.CHECKED_IN);
        assertThat(service.current(spot.id())).isEqualTo(new Occupancy(spot.id(), true, NOW));
    }

    @Test
    void anArrivalJustBeforeTheStart_checksInTheBookingAboutToBegin_butNotAPendingOne() {
        booking("pending", NOW.minusSeconds(600), NOW.plusSeconds(600), BookingStatus.PENDING);
        Booking soon = booking("soon", NOW.plus(Duration.ofMinutes(10)), NOW.plus(Duration.ofMinutes(70)), BookingStatus.CONFIRMED);

        assertThat(service.observe(new Occupancy(spot.id(), true, NOW)).checkedInBooking()).contains(soon.id());
        assertThat(bookings.findBooking("pending").orElseThrow().status()).isEqualTo(BookingStatus.PENDING);
    }

    @Test
    void aDeparture_orAnArrivalWithNoBooking_isRecorded_andChecksInNothing() {
        Booking b = booking("b-1", NOW.minusSeconds(300), NOW.plusSeconds(3300), BookingStatus.CONFIRMED);

        assertThat(service.observe(new Occupancy(spot.id(), false, NOW))).isEqualTo(new OccupancyService.Outcome(true,
                java.util.Optional.empty()));
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).isEqualTo(BookingStatus.CONFIRMED);
        bookings.stored.clear();
        assertThat(service.observe(new Occupancy(spot.id(), true, NOW.plusSeconds(1))).checkedInBooking()).isEmpty();
    }

    @Test
    void aLateOrDuplicateObservation_changesNothing() {
        service.observe(new Occupancy(spot.id(), true, NOW));
        Booking b = booking("b-1", NOW.minusSeconds(300), NOW.plusSeconds(3300), BookingStatus.CONFIRMED);

        assertThat(service.observe(new Occupancy(spot.id(), true, NOW)).recorded()).isFalse();
        assertThat(service.observe(new Occupancy(spot.id(), false, NOW.minusSeconds(30))).recorded()).isFalse();

        assertThat(service.current(spot.id()).occupied()).isTrue();
        assertThat(bookings.findBooking(b.id()).orElseThrow().status()).as("a stale arrival checks in nothing")
                .isEqualTo(BookingStatus.CONFIRMED);
    }

    @Test
    void aTimeMoreThanAWeekFromNow_isInvalid_andAnUnknownResource_isNotFound_nothingRecorded() {
        for (Instant at : new Instant[] {NOW.minus(Duration.ofDays(8)), NOW.plus(Duration.ofDays(8)), Instant.MAX, Instant.MIN}) {
            assertThatThrownBy(() -> service.observe(new Occupancy(spot.id(), true, at)))
                    .isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                            assertThat(e.errors()).extracting(f -> f.field()).containsExactly("observedAt"));
        }
        assertThatThrownBy(() -> service.observe(new Occupancy("no-such-spot", true, NOW))).isInstanceOf(DomainError.NotFound.class);
        assertThat(occupancy.stored).isEmpty();
        assertThatThrownBy(() -> service.current(spot.id())).isInstanceOf(DomainError.NotFound.class);
    }

    private Booking booking(String id, Instant start, Instant end, BookingStatus status) {
        Booking b = new Booking(id, spot.id(), spot.kind(), "alice", start, end, 1, status, NOW.minusSeconds(86_400), null, null,
                null, null);
        bookings.put(b);
        return b;
    }
}
