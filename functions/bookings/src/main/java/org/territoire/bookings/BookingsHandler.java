package org.territoire.bookings;

import java.util.Map;
import java.util.Optional;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.bookings.booking.BookingService;
import org.territoire.bookings.booking.CreateBookingCommand;
import org.territoire.bookings.booking.QuotaService;
import org.territoire.bookings.calendar.CalendarService;
import org.territoire.bookings.occupancy.OccupancyService;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiDescription;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.http.Router;
import org.territoire.shared.identity.Role;
import org.territoire.shared.idempotency.IdempotencyStore;

/** The bookings capability's function: pooled resources, bookings, availability, quotas. */
public final class BookingsHandler extends ApiHandler implements Resource {
    private final ResourceService resources;
    private final BookingService bookings;
    private final QuotaService quotas;
    private final CalendarService calendars;
    private final OccupancyService occupancy;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsHandler() {
        this(Wiring.fromEnvironment());
    }

    private BookingsHandler(Wiring w) {
        this(w.resources(), w.bookings(), w.quotas(), w.calendars(), w.occupancy(), w.idempotency());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services, and the idempotency port, to use. */
    public BookingsHandler(ResourceService resources, BookingService bookings, QuotaService quotas, CalendarService calendars,
                           OccupancyService occupancy, IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.resources = resources;
        this.bookings = bookings;
        this.quotas = quotas;
        this.calendars = calendars;
        this.occupancy = occupancy;
        // Object rules follow in the services: a resource is edited, retired and approved by its
        // operator (an agent, its organisation's provider, or the resident who lends it), a booking
        // is seen, cancelled and checked in by its booker or that operator.
        router().post("/resources", Access.MEMBERS, this::createResource)
                .get("/resources", this::listResources)
                .get("/resources/{resourceId}", r -> ApiResponse.ok(Views.of(resources.get(r.path("resourceId")))))
                .patch("/resources/{resourceId}", Access.MEMBERS, r -> ApiResponse.ok(Views.of(
                        resources.update(r.caller(), r.path("resourceId"), r.body(CreateResourceCommand.class)))))
                .delete("/resources/{resourceId}", Access.MEMBERS, r -> {
                    resources.retire(r.caller(), r.path("resourceId"));
                    return ApiResponse.noContent();
                })
                .get("/resources/{resourceId}/availability", this::availability)
                .get("/resources/{resourceId}/bookings", this::resourceBookings)
                .get("/resources/{resourceId}/occupancy", r -> {
                    r.requireSignedIn();
                    return ApiResponse.ok(Views.of(occupancy.current(r.path("resourceId"))));
                })
                .post("/bookings", Access.MEMBERS, this::book)
                .get("/bookings/mine", this::myBookings)
                .action("/bookings/calendar-feed", Access.MEMBERS, this::newCalendarFeed)
                .get("/calendar/{feedToken}", Access.ANYONE, this::calendarFeed)
                .get("/openapi.yaml", Access.ANYONE, ApiDescription::serve)
                .get("/bookings/{bookingId}", r -> ApiResponse.ok(Views.of(bookings.visible(r.caller(), r.path("bookingId")))))
                .post("/bookings/{bookingId}/cancel", Access.MEMBERS, this::cancel)
                .action("/bookings/{bookingId}/check-in", Access.MEMBERS, r -> ApiResponse.ok(Views.of(bookings.checkIn(r.caller(), r.path("bookingId")))))
                .action("/bookings/{bookingId}/approve", Access.MEMBERS, r -> ApiResponse.ok(Views.of(bookings.approve(r.caller(), r.path("bookingId")))))
                .get("/quotas/{kind}", this::getQuota)
                .put("/quotas/{kind}", Access.roles(Role.AGENT, Role.ADMIN), this::putQuota);
    }

    private ApiResponse createResource(ApiRequest r) {
        var resource = resources.create(r.caller(), r.body(CreateResourceCommand.class));
        return ApiResponse.created(Views.of(resource), "/resources/" + resource.id());
    }

    private ApiResponse listResources(ApiRequest r) {
        r.requireSignedIn();
        return ApiResponse.ok(resources.list(r.enumQuery("kind", ResourceKind.class), r.intQuery("limit", 20, 1, 100),
                r.query("nextToken")).map(Views::of));
    }

    private ApiResponse availability(ApiRequest r) {
        r.requireSignedIn();
        return ApiResponse.ok(bookings.availability(r.path("resourceId"), r.query("date"), r.intQuery("days", 1, 1, 7)));
    }

    private ApiResponse resourceBookings(ApiRequest r) {
        return ApiResponse.ok(bookings.ofResource(r.caller(), r.path("resourceId"), r.intQuery("limit", 20, 1, 100),
                r.query("nextToken")).map(Views::of));
    }

    private ApiResponse book(ApiRequest r) {
        var booking = bookings.book(r.caller(), r.body(CreateBookingCommand.class));
        return ApiResponse.created(Views.of(booking), "/bookings/" + booking.id());
    }

    private ApiResponse myBookings(ApiRequest r) {
        return ApiResponse.ok(bookings.mine(r.caller(), r.intQuery("limit", 20, 1, 100), r.query("nextToken")).map(Views::of));
    }

    /** A new secret feed URL for the caller's calendar app; the previous one stops working. */
    private ApiResponse newCalendarFeed(ApiRequest r) {
        String path = "/calendar/" + calendars.newFeedSecret(r.caller()) + ".ics";
        String host = r.header("host");
        String scheme = Optional.ofNullable(r.header("x-forwarded-proto")).orElse("http");
        var body = new Views.CalendarFeedView(path, host == null ? null : scheme + "://" + host + path);
        // The path is the secret: the answer shows it once, a replay leaves it (and the url, the location) out.
        return ApiResponse.createdWithSecret(body, path, "path");
    }

    /**
     * Public (no token: calendar apps cannot sign in); the unguessable secret in the path is
     * the credential. Calendar apps poll: an unchanged feed is a 304 on its ETag or its date
     * (RFC 9110 §13.1.2 and §13.1.3; If-None-Match wins when both are sent).
     */
    private ApiResponse calendarFeed(ApiRequest r) {
        CalendarService.Feed feed = calendars.feed(r.path("feedToken"));
        String lastModified = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(feed.lastModified().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).atZone(java.time.ZoneOffset.UTC));
        String ifNoneMatch = r.header("if-none-match");
        boolean unchanged = ifNoneMatch != null
                ? java.util.Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                        .anyMatch(tag -> tag.equals("*") || tag.replaceFirst("^W/", "").equals(feed.etag()))
                : notModifiedSince(r.header("if-modified-since"), feed.lastModified());
        ApiResponse response = unchanged ? new ApiResponse(304, Map.of(), null)
                : ApiResponse.text(200, "text/calendar; charset=utf-8", feed.ics());
        return response.withHeader("etag", feed.etag()).withHeader("last-modified", lastModified)
                .withHeader("cache-control", "private, max-age=300");
    }

    private static boolean notModifiedSince(String header, java.time.Instant lastModified) {
        if (header == null) {
            return false;
        }
        try {
            java.time.Instant since = java.time.ZonedDateTime.parse(header.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return !lastModified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(since);
        } catch (java.time.format.DateTimeParseException e) {
            return false; // an unreadable date is ignored, as RFC 9110 says
        }
    }

    record CancelCommand(String reason) {
    }

    private ApiResponse cancel(ApiRequest r) {
        String body = r.event().body();
        String reason = body == null || body.isBlank() ? null : r.body(CancelCommand.class).reason();
        return ApiResponse.ok(Views.of(bookings.cancel(r.caller(), r.path("bookingId"), reason)));
    }

    record QuotaCommand(Integer maxActive, Integer maxHoursPerWeek) {
    }

    private ApiResponse getQuota(ApiRequest r) {
        r.requireSignedIn();
        return ApiResponse.ok(Views.of(quotas.get(r.path("kind"))));
    }

    private ApiResponse putQuota(ApiRequest r) {
        QuotaCommand c = r.body(QuotaCommand.class);
        return ApiResponse.ok(Views.of(quotas.set(r.caller(), r.path("kind"), c.maxActive(), c.maxHoursPerWeek())));
    }

    /** SnapStart: serve the real path of a request, read-only, before the snapshot is taken (see Priming). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(this);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }
}
