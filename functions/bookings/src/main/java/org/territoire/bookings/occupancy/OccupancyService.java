package org.territoire.bookings.occupancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.shared.error.DomainError;

/**
 * The occupancy sensor linked to a resource (a parking spot, a room) reports through the
 * telemetry capability, which publishes an event; nothing here reads telemetry's data. An
 * observation is recorded only if it is newer than the one held, and when the resource
 * becomes occupied during a confirmed booking, that booking is checked in.
 */
public final class OccupancyService {
    /** What an observation led to. */
    public record Outcome(boolean recorded, Optional<String> checkedInBooking) {
    }

    private final ResourceRepository resources;
    private final BookingRepository bookings;
    private final OccupancyRepository occupancy;
    private final Clock clock;

    /** How far from now an observation may be dated: beyond, it is a broken sensor clock, not an observation. */
    public static final Duration PLAUSIBLE = Duration.ofDays(7);

    public OccupancyService(ResourceRepository resources, BookingRepository bookings, OccupancyRepository occupancy,
                            Clock clock) {
        this.resources = resources;
        this.bookings = bookings;
        this.occupancy = occupancy;
        this.clock = clock;
    }

    /**
     * Records an observation and checks in the booking it shows under way. Refused, before any
     * read: a time more than {@link #PLAUSIBLE} from now (invalid), an unknown resource (not found).
     */
    public Outcome observe(Occupancy observation) {
        Instant now = clock.instant();
        if (observation.observedAt().isBefore(now.minus(PLAUSIBLE)) || observation.observedAt().isAfter(now.plus(PLAUSIBLE))) {
            throw DomainError.invalid("observedAt", "must be within " + PLAUSIBLE.toDays() + " days of now");
        }
        Resource resource = resources.find(observation.resourceId())
                .orElseThrow(() -> DomainError.notFound("no such resource"));
        if (!occupancy.record(observation)) {
            return new Outcome(false, Optional.empty());
        }
        if (!observation.occupied()) {
            return new Outcome(true, Optional.empty());
        }
        Instant at = observation.observedAt();
        for (Booking b : underWay(resource, at)) {
            if (bookings.transition(b, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, at)) {
                return new Outcome(true, Optional.of(b.id()));
            }
        }
        return new Outcome(true, Optional.empty());
    }

    /**
     * The confirmed bookings that cover {@code at}, or start within the check-in grace after it:
     * read by start time, not among the latest bookings (a resource booked far ahead has many
     * bookings after the one under way). A booking and its buffer cover at most
     * {@link ResourceService#MAX_SLOTS_PER_BOOKING} slots, and the slot length never changes,
     * so a booking under way started at most that long before {@code at}. Those already begun
     * come first (the latest start first), then those about to begin (the soonest first).
     */
    List<Booking> underWay(Resource resource, Instant at) {
        Instant earliest = at.minus(resource.slot().multipliedBy(ResourceService.MAX_SLOTS_PER_BOOKING));
        List<Booking> begun = new ArrayList<>();
        List<Booking> soon = new ArrayList<>();
        for (Booking b : bookings.ofResourceStartingBetween(resource.id(), earliest, at.plus(Booking.NO_SHOW_GRACE))) {
            if (b.status() == BookingStatus.CONFIRMED && at.isBefore(b.end())) {
                (b.start().isAfter(at) ? soon : begun).add(b);
            }
        }
        java.util.Collections.reverse(soon);
        begun.addAll(soon);
        return begun;
    }

    public Occupancy current(String resourceId) {
        return occupancy.occupancy(resourceId)
                .orElseThrow(() -> DomainError.notFound("no occupancy reported for this resource yet"));
    }
}
