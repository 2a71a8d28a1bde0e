package org.territoire.bookings;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.bookings.booking.BookingService;
import org.territoire.bookings.booking.CreateBookingCommand;
import org.territoire.bookings.calendar.CalendarService;
import org.territoire.bookings.occupancy.OccupancyService;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.bookings.store.DynamoBookingsStore;
import org.territoire.bookings.store.IotLockCommands;
import org.territoire.shared.iot.IotDataPublisher;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.identity.Role;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The bookings capability's function: pooled resources, bookings, availability, quotas. */
public final class BookingsHandler extends ApiHandler implements Resource {
    static final String TABLE_VARIABLE = "BOOKINGS_TABLE";

    private final ResourceService resources;
    private final BookingService bookings;
    private final DynamoBookingsStore store;
    private final CalendarService calendars;
    private final OccupancyService occupancy;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsHandler() {
        this(Wiring.fromEnvironment());
    }

    private BookingsHandler(Wiring w) {
        this(w.resources(), w.bookings(), w.store(), w.idempotency());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services and stores to use. */
    public BookingsHandler(ResourceService resources, BookingService bookings, DynamoBookingsStore store,
                           IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.resources = resources;
        this.bookings = bookings;
        this.store = store;
        this.calendars = new CalendarService(store, store, store);
        this.occupancy = new OccupancyService(store, store, store);
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
                    return ApiResponse.ok(occupancy.current(r.path("resourceId")));
                })
                .post("/bookings", Access.MEMBERS, this::book)
                .get("/bookings/mine", this::myBookings)
                .action("/bookings/calendar-feed", Access.MEMBERS, this::newCalendarFeed)
                .get("/calendar/{feedToken}", Access.ANYONE, this::calendarFeed)
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
        String raw = r.query("date").orElseThrow(() -> DomainError.invalid("date", "is required (YYYY-MM-DD)"));
        LocalDate day;
        try {
            day = LocalDate.parse(raw);
        } catch (DateTimeException e) {
            throw DomainError.invalid("date", "must be a date written YYYY-MM-DD");
        }
        int days = r.intQuery("days", 1, 1, 7);
        return ApiResponse.ok(Map.of("date", day.toString(), "days", days,
                "slots", bookings.availability(r.path("resourceId"), day, days)));
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
        String scheme = java.util.Optional.ofNullable(r.header("x-forwarded-proto")).orElse("http");
        Map<String, String> body = host == null ? Map.of("path", path) : Map.of("path", path, "url", scheme + "://" + host + path);
        // The path is the secret: the answer shows it once, a replay leaves it (and the url, the location) out.
        return ApiResponse.createdWithSecret(body, path, "path");
    }

    /** Public (no token: calendar apps cannot sign in); the unguessable secret in the path is the credential. */
    private ApiResponse calendarFeed(ApiRequest r) {
        return ApiResponse.text(200, "text/calendar; charset=utf-8", calendars.feed(r.path("feedToken")))
                .withHeader("cache-control", "private, max-age=300");
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
        return ApiResponse.ok(Views.of(bookings.quota(kind(r))));
    }

    private ApiResponse putQuota(ApiRequest r) {
        ResourceKind kind = kind(r);
        QuotaCommand c = r.body(QuotaCommand.class);
        return ApiResponse.ok(Views.of(bookings.setQuota(r.caller(), kind, c.maxActive(), c.maxHoursPerWeek())));
    }

    private static ResourceKind kind(ApiRequest r) {
        try {
            return ResourceKind.valueOf(r.path("kind").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainError.invalid("kind", "must be one of " + java.util.Arrays.toString(ResourceKind.values()));
        }
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

    private record Wiring(ResourceService resources, BookingService bookings, DynamoBookingsStore store,
                          IdempotencyStore idempotency) {
        static Wiring fromEnvironment() {
            String table = Env.require(TABLE_VARIABLE);
            DynamoDbClient dynamo = Aws.dynamoDb();
            Clock clock = Clock.systemUTC();
            ZoneId zone = ZoneId.of(Env.getOrDefault("TERRITORY_TIME_ZONE", "Europe/Paris"));
            DynamoBookingsStore store = new DynamoBookingsStore(dynamo, table, PaginationKey.load());
            var locks = new IotLockCommands(IotDataPublisher.fromEnvironment());
            return new Wiring(new ResourceService(store, clock, zone), new BookingService(store, store, locks, clock), store,
                    new DynamoIdempotencyStore(dynamo, table, clock));
        }
    }
}
