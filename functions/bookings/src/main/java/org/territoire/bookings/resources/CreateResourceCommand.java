package org.territoire.bookings.resources;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /resources}. Durations are in minutes, the advance in days;
 * opening hours map a day (MONDAY...) to periods ("08:00-12:00"); absent, always open.
 * {@code address} is where people find it (street and town), shown in calendars.
 */
public record CreateResourceCommand(ResourceKind kind, String name, String description, String organisationId,
                                    String district, Location location, Integer capacity, Integer slotMinutes,
                                    Map<String, List<String>> openingHours, String timeZone,
                                    Integer minDurationMinutes, Integer maxDurationMinutes, Integer minNoticeMinutes,
                                    Integer maxAdvanceDays, Integer bufferMinutes, EligibilityInput eligibility,
                                    Boolean requiresApproval, String linkedDeviceId, String address) {

    public record Location(Double latitude, Double longitude) {
    }

    public record EligibilityInput(Eligibility.Scope scope, List<String> districts, String organisationId) {
    }
}
