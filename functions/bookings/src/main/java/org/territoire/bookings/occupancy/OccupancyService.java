package org.territoire.bookings.occupancy;

import java.time.Instant;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.page.Page;

/**
 * The occupancy sensor linked to a resource (a parking spot, a room) reports through the
 * telemetry capability, which publishes an event; nothing here reads telemetry's data. An
 * observation is recorded only if it is newer than the one held, and when the resource
 * becomes occupied during a confirmed booking, that booking is checked in.
 */
public final class OccupancyService {
    /** How many of a resource's latest bookings are looked at to find the one under way. */
    static final int RECENT_BOOKINGS = 50;

    /** What an observation led to. */
    public record Outcome(boolean recorded, Optional<String> checkedInBooking) {
    }

    private final ResourceRepository resources;
    private final BookingRepository bookings;
    private final OccupancyRepository occupancy;

    public OccupancyService(ResourceRepository resources, BookingRepository bookings, OccupancyRepository occupancy) {
        this.resources = resources;
        this.bookings = bookings;
        this.occupancy = occupancy;
    }

    public Outcome observe(Occupancy observation) {
        if (resources.find(observation.resourceId()).isEmpty()) {
            throw ApiException.notFound("no such resource");
        }
        if (!occupancy.record(observation)) {
            return new Outcome(false, Optional.empty());
        }
        if (!observation.occupied()) {
            return new Outcome(true, Optional.empty());
        }
        Instant at = observation.observedAt();
        Page<Booking> recent = bookings.ofResource(observation.resourceId(), RECENT_BOOKINGS, Optional.empty());
        for (Booking b : recent.items()) {
            boolean underWay = !at.isBefore(b.start().minus(Booking.NO_SHOW_GRACE)) && at.isBefore(b.end());
            if (underWay && b.status() == BookingStatus.CONFIRMED
                    && bookings.transition(b, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, at)) {
                return new Outcome(true, Optional.of(b.id()));
            }
        }
        return new Outcome(true, Optional.empty());
    }

    public Occupancy current(String resourceId) {
        return occupancy.occupancy(resourceId)
                .orElseThrow(() -> ApiException.notFound("no occupancy reported for this resource yet"));
    }
}
