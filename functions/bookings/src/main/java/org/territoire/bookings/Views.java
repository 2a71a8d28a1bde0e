package org.territoire.bookings;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.QuotaRule;
import org.territoire.bookings.occupancy.Occupancy;
import org.territoire.bookings.resources.Eligibility;
import org.territoire.bookings.resources.Resource;

/** What the API shows of stored objects (durations in minutes; no internal fields). */
final class Views {
    private Views() {
    }

    record ResourceView(String id, String kind, String name, String description, String organisationId, String lenderId,
                        String district, String address, Map<String, Double> location, int capacity, long slotMinutes,
                        Map<String, List<String>> openingHours, String timeZone, long minDurationMinutes,
                        long maxDurationMinutes, long minNoticeMinutes, long maxAdvanceDays, long bufferMinutes,
                        Eligibility eligibility, boolean requiresApproval, String linkedDeviceId, Instant createdAt,
                        Instant retiredAt, long version) {
    }

    record BookingView(String id, String resourceId, String kind, String userId, Instant start, Instant end, int units,
                       String status, Instant createdAt, String cancelledBy, String cancelReason) {
    }

    record QuotaView(String kind, Integer maxActive, Integer maxHoursPerWeek) {
    }

    record OccupancyView(String resourceId, boolean occupied, Instant observedAt) {
    }

    /** The path of a new calendar feed, and its full URL when the request named its host. */
    record CalendarFeedView(String path, String url) {
    }

    static OccupancyView of(Occupancy o) {
        return new OccupancyView(o.resourceId(), o.occupied(), o.observedAt());
    }

    static QuotaView of(QuotaRule q) {
        return new QuotaView(q.kind().name(), q.maxActive(), q.maxMinutesPerWeek() == null ? null : q.maxMinutesPerWeek() / 60);
    }

    static ResourceView of(Resource r) {
        Map<String, List<String>> hours = new LinkedHashMap<>();
        r.openingHours().days().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> hours.put(e.getKey().name(), e.getValue().stream().map(Object::toString).toList()));
        return new ResourceView(r.id(), r.kind().name(), r.name(), r.description(), r.operatorOrganisation(), r.lenderId(),
                r.district(), r.address(), r.latitude() == null ? null : Map.of("latitude", r.latitude(), "longitude", r.longitude()),
                r.capacity(), r.slot().toMinutes(), hours, r.zone().getId(), r.minDuration().toMinutes(),
                r.maxDuration().toMinutes(), r.minNotice().toMinutes(), r.maxAdvance().toDays(), r.buffer().toMinutes(),
                r.eligibility(), r.requiresApproval(), r.linkedDeviceId(), r.createdAt(), r.retiredAt(), r.version());
    }

    static BookingView of(Booking b) {
        return new BookingView(b.id(), b.resourceId(), b.kind().name(), b.userId(), b.start(), b.end(), b.units(),
                b.status().name(), b.createdAt(), b.cancelledBy(), b.cancelReason());
    }
}
