package org.territoire.bookings.resources;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A pooled space or means.
 *
 * @param capacity        units bookable at once (a car: 1; a coworking room: its desks)
 * @param slot            the booking grid
 * @param minDuration     shortest booking
 * @param maxDuration     longest booking
 * @param minNotice       how long before its start a booking must be made
 * @param maxAdvance      how far ahead a booking may start
 * @param buffer          kept free after each booking (cleaning, handover); a multiple of the slot
 * @param operatorOrganisation the organisation that operates it, or null when a resident lends it
 * @param lenderId        the resident who lends it, or null
 * @param retiredAt       when its operator withdrew it (no new bookings), or null
 * @param version         1 when created, one more at each edit: an edit is written only over the version it read
 *                        (resources stored before versions existed are version 0)
 */
public record Resource(String id, ResourceKind kind, String name, String description, String operatorOrganisation,
                       String lenderId, String district, Double latitude, Double longitude, int capacity,
                       Duration slot, OpeningHours openingHours, ZoneId zone, Duration minDuration,
                       Duration maxDuration, Duration minNotice, Duration maxAdvance, Duration buffer,
                       Eligibility eligibility, boolean requiresApproval, String linkedDeviceId,
                       Instant createdAt, String createdBy, Instant retiredAt, long version, String address) {

    public SlotCalendar calendar() {
        return new SlotCalendar(zone, slot, openingHours);
    }
}
