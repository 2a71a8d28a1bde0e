package org.territoire.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.TestRequests;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The bookings routes through the real handler and store, against the local endpoint:
 * the capacity and quota invariants under many simultaneous requests.
 */
class BookingsApiTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String TABLE = "BookingsTable";
    private static LocalAws aws;
    private static BookingsHandler handler;
    private static org.territoire.bookings.booking.BookingSweeper sweeper;
    private static org.territoire.bookings.booking.BookingReminders reminders;
    private static org.territoire.bookings.booking.ReminderRepository reminderStore;
    private static BookingsEventsHandler events;
    /** The test's clock, never the wall clock: a few minutes past a slot boundary, so "the next 5-minute slot" is near. */
    private static final Instant NOW = Instant.parse("2026-12-01T08:02:00Z");
    private static final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void start() {
        aws = LocalAws.shared();
        handler = handler(aws.dynamoDb());
        Wiring wiring = LocalHandlers.wiring(aws.dynamoDb(), clock);
        sweeper = wiring.sweeper();
        reminders = wiring.reminders(org.territoire.shared.events.DomainEvents.NONE, java.time.Duration.ofHours(24));
        reminderStore = wiring.reminderStore();
        events = new BookingsEventsHandler(wiring.occupancy());
    }

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    private static BookingsHandler handler(DynamoDbClient dynamo) {
        return LocalHandlers.api(LocalHandlers.wiring(dynamo, clock));
    }

    /** The current local time in Paris, by the test's clock. */
    private static ZonedDateTime parisNow() {
        return ZonedDateTime.ofInstant(clock.instant(), PARIS);
    }

    @Test
    void hundredSimultaneousRequests_forOneSlotOfCapacityThree_giveExactlyThreeBookings() {
        String desk = resource("COWORKING_DESK", 3, Map.of());
        String start = at(2, 10);
        String end = at(2, 11);

        var outcomes = Concurrently.run(100, i -> () -> book("resident-" + i, desk, start, end, 1).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.ok()).isTrue());
        assertThat(outcomes).filteredOn(o -> o.value() == 201).hasSize(3);
        assertThat(outcomes).filteredOn(o -> o.value() == 409).hasSize(97);
        assertThat(slotCounter(desk, start)).isEqualTo(3);
        assertThat(bookingsOf(desk)).hasSize(3);
        JsonNode slot = availabilitySlot(desk, start);
        assertThat(slot.path("booked").asInt()).isEqualTo(3);
        assertThat(slot.path("free").asInt()).isZero();
        JsonNode week = Json.tree(send("GET", "/resources/" + desk + "/availability?date=" + start.substring(0, 10) + "&days=7",
                resident("x", "centre"), null).body());
        assertThat(week.path("slots").size()).as("7 days of hourly slots, give or take a daylight-saving hour").isBetween(167, 169);
    }

    @Test
    void theApiDescription_isServedWithoutAToken_fromThePackage() throws Exception {
        ApiResponse description = send("GET", "/openapi.yaml", Map.of(), null);

        assertThat(description.statusCode()).isEqualTo(200);
        assertThat(description.headers()).containsEntry("content-type", "application/yaml; charset=utf-8");
        assertThat(description.body()).contains("openapi: 3.1.0", "  /openapi.yaml:")
                .isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("territoire.root"), "api/openapi.yaml")));
    }

    @Test
    void aConflict_names_theNextFreeStarts() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        assertThat(book("alice", room, at(3, 10), at(3, 12), 1).statusCode()).isEqualTo(201);

        ApiResponse conflict = book("bob", room, at(3, 11), at(3, 12), 1);

        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(Json.tree(conflict.body()).path("nextFreeStarts").get(0).asText())
                .isEqualTo(Json.time(ZonedDateTime.parse(at(3, 12)).toInstant()));
    }

    @Test
    void theActiveBookingsQuota_holds_whenOnePersonBooksManyTimesAtOnce() {
        assertThat(send("PUT", "/quotas/CAR_SHARING", agent(), "{\"maxActive\":2}").statusCode()).isEqualTo(200);
        String car = resource("CAR_SHARING", 100, Map.of());

        var outcomes = Concurrently.run(30, i -> () -> book("quota-user", car, at(4, i % 20), at(4, i % 20 + 1), 1).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isLessThan(500));
        assertThat(outcomes).filteredOn(o -> o.value() == 201).hasSize(2);
        assertThat(outcomes).filteredOn(o -> o.value() == 422).as("a quota reached is one status: 422").hasSize(28);
        assertThat(bookingsOf(car)).hasSize(2);
        ApiResponse refused = book("quota-user", car, at(4, 21), at(4, 22), 1);
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers()).doesNotContainKey("retry-after");
        assertThat(Json.tree(refused.body()).path("quotaFreesAt").asText()).as("when the first token frees").isNotEmpty();
    }

    @Test
    void theWeeklyHoursQuota_holds_underSimultaneousBookings() {
        assertThat(send("PUT", "/quotas/SHARED_WORKSHOP", agent(), "{\"maxHoursPerWeek\":3}").statusCode()).isEqualTo(200);
        assertThat(Json.tree(send("GET", "/quotas/SHARED_WORKSHOP", resident("x", "centre"), null).body()).path("maxHoursPerWeek").asInt())
                .isEqualTo(3);
        assertThat(send("PUT", "/quotas/SHARED_WORKSHOP", resident("x", "centre"), "{\"maxActive\":99}").statusCode()).isEqualTo(403);
        String workshop = resource("SHARED_WORKSHOP", 50, Map.of());
        LocalDate monday = parisNow().toLocalDate().plusWeeks(1).with(java.time.DayOfWeek.MONDAY);

        var outcomes = Concurrently.run(12, i -> () -> {
            ZonedDateTime s = monday.plusDays(i % 5).atTime(8 + i, 0).atZone(PARIS);
            return book("weekly-user", workshop, s.toOffsetDateTime().toString(), s.plusHours(1).toOffsetDateTime().toString(), 1)
                    .statusCode();
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isLessThan(500));
        assertThat(outcomes).filteredOn(o -> o.value() == 400).isEmpty();
        assertThat(outcomes).filteredOn(o -> o.value() == 201).hasSize(3);
    }

    @Test
    void cancelThenRebook_andSimultaneousCancels_giveBackCapacityOnce() {
        String hall = resource("FESTIVE_HALL", 1, Map.of());
        ApiResponse first = book("alice", hall, at(5, 18), at(5, 22), 1);
        String id = Json.tree(first.body()).path("id").asText();
        assertThat(book("bob", hall, at(5, 20), at(5, 21), 1).statusCode()).isEqualTo(409);

        var cancels = Concurrently.run(10, i -> () -> send("POST", "/bookings/" + id + "/cancel", resident("alice", "centre"), null).statusCode());

        assertThat(cancels).filteredOn(o -> o.value() == 200).hasSize(1);
        assertThat(cancels).filteredOn(o -> o.value() == 409).hasSize(9);
        assertThat(slotCounter(hall, at(5, 20))).isZero();
        assertThat(book("bob", hall, at(5, 20), at(5, 21), 1).statusCode()).isEqualTo(201);
        assertThat(slotCounter(hall, at(5, 20))).isEqualTo(1);
    }

    @Test
    void overlappingMultiSlotBookings_countEachSlot() {
        String room = resource("COMMON_ROOM", 2, Map.of());

        assertThat(book("a", room, at(6, 10), at(6, 13), 1).statusCode()).isEqualTo(201);
        assertThat(book("b", room, at(6, 11), at(6, 12), 1).statusCode()).isEqualTo(201);
        assertThat(book("c", room, at(6, 12), at(6, 14), 1).statusCode()).isEqualTo(201);
        assertThat(book("d", room, at(6, 11), at(6, 13), 1).statusCode()).as("11:00 is full").isEqualTo(409);
        assertThat(book("e", room, at(6, 13), at(6, 14), 1).statusCode()).isEqualTo(201);

        assertThat(List.of(slotCounter(room, at(6, 10)), slotCounter(room, at(6, 11)), slotCounter(room, at(6, 12)),
                slotCounter(room, at(6, 13)))).containsExactly(1, 2, 2, 2);
    }

    @Test
    void nobodyElse_seesOrCancels_aBooking_andProvidersManageOnlyTheirOwnResources() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        String id = Json.tree(book("alice", room, at(7, 10), at(7, 11), 1).body()).path("id").asText();

        assertThat(send("GET", "/bookings/" + id, resident("mallory", "centre"), null).statusCode()).isEqualTo(404);
        assertThat(send("POST", "/bookings/" + id + "/cancel", resident("mallory", "centre"), null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/resources/" + room + "/bookings", provider("another-org"), null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/resources", provider("another-org"), resourceBody("COMMON_ROOM", 1, "maison-quartier")).statusCode())
                .isEqualTo(403);
        assertThat(send("GET", "/resources/" + room + "/bookings", provider("maison-quartier"), null).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/bookings/" + id + "/cancel", provider("maison-quartier"), "{\"reason\":\"water leak\"}").statusCode())
                .isEqualTo(200);
        JsonNode cancelled = Json.tree(send("GET", "/bookings/" + id, resident("alice", "centre"), null).body());
        assertThat(cancelled.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("cancelReason").asText()).isEqualTo("water leak");
    }

    @Test
    void aResourceNeedingApproval_holdsCapacity_untilItsOperatorApproves() {
        Map<String, Object> extra = new HashMap<>(Map.of("requiresApproval", true));
        String office = resource("BUSINESS_HOTEL_OFFICE", 1, extra);
        ApiResponse pending = book("alice", office, at(8, 9), at(8, 12), 1);
        String id = Json.tree(pending.body()).path("id").asText();

        assertThat(Json.tree(pending.body()).path("status").asText()).isEqualTo("PENDING");
        assertThat(book("bob", office, at(8, 10), at(8, 11), 1).statusCode()).isEqualTo(409);
        assertThat(send("POST", "/bookings/" + id + "/approve", resident("alice", "centre"), null).statusCode()).isEqualTo(403);
        ApiResponse approved = send("POST", "/bookings/" + id + "/approve", provider("maison-quartier"), null);
        assertThat(Json.tree(approved.body()).path("status").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void badInput_is400_andStoresNothing() {
        String room = resource("COMMON_ROOM", 1, Map.of());

        ApiResponse response = send("POST", "/bookings", resident("alice", "centre"),
                "{\"resourceId\":\"" + room + "\",\"start\":\"" + at(9, 12) + "\",\"end\":\"" + at(9, 10) + "\",\"units\":1}");
        ApiResponse unknown = send("POST", "/bookings", resident("alice", "centre"),
                "{\"resourceId\":\"nope\",\"start\":\"" + at(9, 10) + "\",\"end\":\"" + at(9, 11) + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).path("errors").get(0).path("field").asText()).isEqualTo("end");
        assertThat(Json.tree(unknown.body()).path("errors").get(0).path("field").asText()).isEqualTo("resourceId");
        assertThat(bookingsOf(room)).isEmpty();
    }

    @Test
    void aRetriedBooking_withTheSameIdempotencyKey_isMadeOnce() {
        String room = resource("COMMON_ROOM", 5, Map.of());
        String key = UUID.randomUUID().toString();
        String body = "{\"resourceId\":\"" + room + "\",\"start\":\"" + at(10, 10) + "\",\"end\":\"" + at(10, 11) + "\",\"units\":1}";

        var outcomes = Concurrently.run(8, i -> () -> handler.handle(event("POST", "/bookings", resident("alice", "centre"), body,
                Map.of("idempotency-key", key))).statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(201, 409));
        assertThat(bookingsOf(room)).hasSize(1);
        assertThat(slotCounter(room, at(10, 10))).isEqualTo(1);
    }

    @Test
    void myCalendarFeed_isServedWithoutAToken_atItsSecretUrl_untilRenewed() {
        String room = resource("COMMON_ROOM", 1, Map.of("address", "2 place de la Mairie"));
        assertThat(book("calendar-user", room, at(11, 10), at(11, 12), 1).statusCode()).isEqualTo(201);

        ApiResponse created = handler.handle(event("POST", "/bookings/calendar-feed", resident("calendar-user", "centre"), null,
                Map.of("host", "api.territoire.example", "x-forwarded-proto", "https")));
        JsonNode link = Json.tree(created.body());
        String path = link.path("path").asText();
        assertThat(link.path("url").asText()).isEqualTo("https://api.territoire.example" + path);

        ApiResponse feed = handler.handle(event("GET", path, Map.of(), null, Map.of()));
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.headers()).containsEntry("content-type", "text/calendar; charset=utf-8");
        assertThat(feed.body()).startsWith("BEGIN:VCALENDAR").contains("BEGIN:VEVENT", "SUMMARY:COMMON_ROOM", "SEQUENCE:0");
        assertThat(feed.body().replace("\r\n ", "")).as("unfolded").contains("\\, 2 place de la Mairie\r\n");

        // Calendar apps poll: unchanged, the feed is a 304 on its ETag or its date.
        String etag = feed.headers().get("etag");
        String lastModified = feed.headers().get("last-modified");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(handler.handle(event("GET", path, Map.of(), null, Map.of("if-none-match", etag))).statusCode()).isEqualTo(304);
        assertThat(handler.handle(event("GET", path, Map.of(), null, Map.of("if-modified-since", lastModified))).statusCode()).isEqualTo(304);
        clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(handler.handle(event("GET", path, Map.of(), null, Map.of("if-none-match", etag))).statusCode())
                .as("a later DTSTAMP alone does not change the tag").isEqualTo(304);

        // A cancellation is a new revision: the tag, SEQUENCE and LAST-MODIFIED move, so the app replaces its copy.
        String bookingId = bookingsOf(room).get(0).path("id").asText();
        assertThat(send("POST", "/bookings/" + bookingId + "/cancel", resident("calendar-user", "centre"), null).statusCode()).isEqualTo(200);
        ApiResponse changed = handler.handle(event("GET", path, Map.of(), null, Map.of("if-none-match", etag)));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().get("etag")).isNotEqualTo(etag);
        assertThat(changed.body()).contains("STATUS:CANCELLED", "SEQUENCE:1");
        assertThat(handler.handle(event("GET", path, Map.of(), null, Map.of("if-modified-since", lastModified))).statusCode()).isEqualTo(200);

        handler.handle(event("POST", "/bookings/calendar-feed", resident("calendar-user", "centre"), null, Map.of()));
        assertThat(handler.handle(event("GET", path, Map.of(), null, Map.of())).statusCode()).as("the old link is retired").isEqualTo(404);
        assertThat(handler.handle(event("GET", "/calendar/guess.ics", Map.of(), null, Map.of())).statusCode()).isEqualTo(404);
    }

    @Test
    void simultaneousCheckIns_moveTheBookingOnce() {
        Map<String, Object> fiveMinuteSlots = new HashMap<>(Map.of("slotMinutes", 5));
        String desk = resource("COWORKING_DESK", 2, fiveMinuteSlots);
        ZonedDateTime now = parisNow().withSecond(0).withNano(0);
        ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
        ApiResponse booked = book("early-bird", desk, start.toOffsetDateTime().toString(), start.plusMinutes(30).toOffsetDateTime().toString(), 1);
        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        String id = Json.tree(booked.body()).path("id").asText();

        var outcomes = Concurrently.run(10, i -> () -> send("POST", "/bookings/" + id + "/check-in", resident("early-bird", "centre"), null)
                .statusCode());

        assertThat(outcomes).filteredOn(o -> o.value() == 200).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.value() == 409).hasSize(9);
        assertThat(Json.tree(send("GET", "/bookings/" + id, resident("early-bird", "centre"), null).body()).path("status").asText())
                .isEqualTo("CHECKED_IN");
    }

    @Test
    void aNoShow_freesTheSlotsThatHaveNotBegun_forOthers() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        String id = Json.tree(book("sleepy", room, at(12, 10), at(12, 13), 1).body()).path("id").asText();
        assertThat(book("other", room, at(12, 11), at(12, 12), 1).statusCode()).isEqualTo(409);

        var summary = sweeper.sweep(ZonedDateTime.parse(at(12, 10)).plusMinutes(30).toInstant());

        assertThat(summary.noShows()).isGreaterThanOrEqualTo(1);
        assertThat(status("sleepy", id)).isEqualTo("NO_SHOW");
        assertThat(slotCounter(room, at(12, 10))).as("the slot under way stays taken").isEqualTo(1);
        assertThat(List.of(slotCounter(room, at(12, 11)), slotCounter(room, at(12, 12)))).containsExactly(0, 0);
        assertThat(book("other", room, at(12, 11), at(12, 12), 1).statusCode()).isEqualTo(201);
        assertThat(sweeper.sweep(ZonedDateTime.parse(at(12, 10)).plusMinutes(30).toInstant()).noShows())
                .as("settled bookings leave the sweep's index").isZero();
    }

    @Test
    void anUnapprovedRequest_isCancelledAtItsStart_andACheckedInBooking_completesAtItsEnd() {
        String office = resource("BUSINESS_HOTEL_OFFICE", 1, new HashMap<>(Map.of("requiresApproval", true)));
        String pending = Json.tree(book("hopeful", office, at(13, 9), at(13, 11), 1).body()).path("id").asText();
        Map<String, Object> fiveMinuteSlots = new HashMap<>(Map.of("slotMinutes", 5));
        String desk = resource("COWORKING_DESK", 1, fiveMinuteSlots);
        ZonedDateTime now = parisNow().withSecond(0).withNano(0);
        ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
        String used = Json.tree(book("present", desk, start.toOffsetDateTime().toString(),
                start.plusMinutes(30).toOffsetDateTime().toString(), 1).body()).path("id").asText();
        assertThat(send("POST", "/bookings/" + used + "/check-in", resident("present", "centre"), null).statusCode()).isEqualTo(200);

        sweeper.sweep(start.plusMinutes(31).toInstant());
        sweeper.sweep(ZonedDateTime.parse(at(13, 9)).plusMinutes(1).toInstant());

        assertThat(status("hopeful", pending)).isEqualTo("CANCELLED");
        assertThat(slotCounter(office, at(13, 10))).isZero();
        assertThat(status("present", used)).isEqualTo("COMPLETED");
    }

    @Test
    void aLateCheckIn_andTheSweep_neverBothWin() {
        Map<String, Object> fiveMinuteSlots = new HashMap<>(Map.of("slotMinutes", 5));
        String desk = resource("COWORKING_DESK", 1, fiveMinuteSlots);
        ZonedDateTime now = parisNow().withSecond(0).withNano(0);
        ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
        String id = Json.tree(book("racer", desk, start.toOffsetDateTime().toString(),
                start.plusMinutes(60).toOffsetDateTime().toString(), 1).body()).path("id").asText();
        java.time.Instant sweepAt = start.plusMinutes(20).toInstant();

        var outcomes = Concurrently.run(20, i -> () -> i % 2 == 0
                ? send("POST", "/bookings/" + id + "/check-in", resident("racer", "centre"), null).statusCode() == 200 ? 1 : 0
                : sweeper.sweep(sweepAt).noShows());

        int winners = outcomes.stream().mapToInt(o -> o.value()).sum();
        assertThat(winners).isEqualTo(1);
        String status = status("racer", id);
        assertThat(status).isIn("CHECKED_IN", "NO_SHOW");
        int expectedLater = "NO_SHOW".equals(status) ? 0 : 1;
        assertThat(slotCounter(desk, start.plusMinutes(25).toOffsetDateTime().toString())).isEqualTo(expectedLater);
        assertThat(slotCounter(desk, start.plusMinutes(15).toOffsetDateTime().toString())).as("slots already begun stay").isEqualTo(1);
    }

    @Test
    void tenSweepsAtOnce_remindAConfirmedBookingOnce_aDayAhead_butNotACancelledOne_norOneStartingLater() throws Exception {
        String room = resource("COMMON_ROOM", 3, Map.of());
        String soon = id(book("remind-a", room, at(1, 8), at(1, 9), 1));
        String gone = id(book("remind-b", room, at(1, 9), at(1, 10), 1));
        String later = id(book("remind-c", room, at(3, 10), at(3, 11), 1));
        assertThat(status("remind-a", soon)).isEqualTo("CONFIRMED");
        assertThat(send("POST", "/bookings/" + gone + "/cancel", resident("remind-b", "centre"), null).statusCode()).isEqualTo(200);

        // Every sweep reads the due list before any of them marks: all ten then race the conditional write.
        var barrier = new java.util.concurrent.CyclicBarrier(10);
        var racing = new org.territoire.bookings.booking.ReminderRepository() {
            @Override
            public List<org.territoire.bookings.booking.Booking> dueForReminder(Instant now, java.time.Duration lead) {
                var due = reminderStore.dueForReminder(now, lead);
                try {
                    barrier.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return due;
            }

            @Override
            public boolean markReminded(org.territoire.bookings.booking.Booking booking, Instant at) {
                return reminderStore.markReminded(booking, at);
            }
        };
        List<Map<String, Object>> published = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        org.territoire.shared.events.DomainEvents recorder = (type, detail) -> {
            assertThat(type).isEqualTo("Booking Reminder Due");
            published.add(detail);
        };
        var outcomes = Concurrently.run(10, i -> () ->
                new org.territoire.bookings.booking.BookingReminders(racing, recorder, java.time.Duration.ofHours(24)).remind(clock.instant()));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.ok()).isTrue());

        List<Map<String, Object>> mine = published.stream().filter(d -> List.of(soon, gone, later).contains(d.get("bookingId"))).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0)).containsEntry("bookingId", soon).containsEntry("bookerId", "remind-a")
                .containsEntry("start", Json.time(java.time.OffsetDateTime.parse(at(1, 8)).toInstant()));
        assertThat(reminderStore.dueForReminder(clock.instant(), java.time.Duration.ofHours(24)))
                .extracting(org.territoire.bookings.booking.Booking::id).doesNotContain(soon, gone, later);
        assertThat(reminderStore.dueForReminder(clock.instant(), java.time.Duration.ofDays(4)))
                .extracting(org.territoire.bookings.booking.Booking::id).contains(later).doesNotContain(soon, gone);
    }

    @Test
    void theScheduledHandler_sweepsAndReportsWhatItDid() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        new BookingsSweepHandler(sweeper, reminders, clock).handleRequest(new java.io.ByteArrayInputStream(
                "{\"detail-type\":\"Scheduled Event\",\"id\":\"e-1\"}".getBytes()), out,
                org.territoire.shared.local.LocalContext.of("BookingsSweepFunction"));

        assertThat(Json.tree(out.toString()).has("noShows")).isTrue();
    }

    @Test
    void anOccupancySensor_checksInTheBookingUnderWay_andLateOrDuplicateEventsNeverOverrideNewerOnes() {
        Map<String, Object> fiveMinuteSlots = new HashMap<>(Map.of("slotMinutes", 5));
        String spot = resource("SHARED_PARKING", 1, fiveMinuteSlots);
        ZonedDateTime now = parisNow().withSecond(0).withNano(0);
        ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
        String id = Json.tree(book("driver", spot, start.toOffsetDateTime().toString(),
                start.plusMinutes(60).toOffsetDateTime().toString(), 1).body()).path("id").asText();
        java.time.Instant arrival = start.toInstant().plusSeconds(60);

        Map<String, Object> first = events.handle(occupancy(spot, true, arrival));
        Map<String, Object> duplicate = events.handle(occupancy(spot, true, arrival));
        Map<String, Object> late = events.handle(occupancy(spot, false, arrival.minusSeconds(30)));

        assertThat(first).containsEntry("recorded", true).containsEntry("checkedIn", id);
        assertThat(duplicate).containsEntry("recorded", false);
        assertThat(late).containsEntry("recorded", false);
        assertThat(status("driver", id)).isEqualTo("CHECKED_IN");
        JsonNode live = Json.tree(send("GET", "/resources/" + spot + "/occupancy", resident("x", "centre"), null).body());
        assertThat(live.path("occupied").asBoolean()).isTrue();
        assertThat(live.path("observedAt").asText()).isEqualTo(Json.time(arrival));
    }

    @Test
    void malformedEvents_andUnknownResources_areRejected_notRetried() {
        assertThat(events.handle(Json.tree("{\"detail-type\":\"Occupancy Changed\",\"detail\":{\"resourceId\":\"x\"}}")))
                .containsKey("rejected");
        assertThat(events.handle(occupancy("no-such-resource", true, clock.instant()))).containsKey("rejected");
        assertThat(events.handle(Json.tree("{\"detail-type\":\"Something Else\",\"detail\":{}}"))).containsKey("rejected");
    }

    private static JsonNode occupancy(String resourceId, boolean occupied, java.time.Instant at) {
        return Json.tree("{\"source\":\"territoire.telemetry\",\"detail-type\":\"Occupancy Changed\",\"id\":\"%s\","
                .formatted(UUID.randomUUID()) + "\"detail\":{\"resourceId\":\"%s\",\"occupied\":%s,\"observedAt\":\"%s\"}}"
                .formatted(resourceId, occupied, at));
    }

    @Test
    void itsOperatorEditsAResource_forFutureBookings_withinSafeLimits() {
        String room = resource("COMMON_ROOM", 2, Map.of());
        String path = "/resources/" + room;

        assertThat(send("PATCH", path, provider("another-org"), "{\"name\":\"Mine now\"}").statusCode()).isEqualTo(403);
        ApiResponse edited = send("PATCH", path, provider("maison-quartier"),
                "{\"name\":\"Salle commune rénovée\",\"capacity\":4,\"openingHours\":{\"MONDAY\":[\"09:00-18:00\"]}}");
        assertThat(edited.statusCode()).as(edited.body()).isEqualTo(200);
        JsonNode resource = Json.tree(send("GET", path, resident("x", "centre"), null).body());
        assertThat(resource.path("name").asText()).isEqualTo("Salle commune rénovée");
        assertThat(resource.path("capacity").asInt()).isEqualTo(4);
        assertThat(resource.path("openingHours").path("MONDAY").get(0).asText()).isEqualTo("09:00-18:00");

        assertThat(send("PATCH", path, provider("maison-quartier"), "{\"capacity\":1}").statusCode()).isEqualTo(422);
        ApiResponse grid = send("PATCH", path, provider("maison-quartier"), "{\"slotMinutes\":30,\"kind\":\"FESTIVE_HALL\"}");
        assertThat(grid.statusCode()).isEqualTo(400);
        assertThat(Json.tree(grid.body()).path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("slotMinutes", "kind");
    }

    @Test
    void simultaneousCapacityIncreases_neverLeaveASmallerCapacityThanOneAccepted() {
        String desk = resource("COWORKING_DESK", 1, Map.of());

        var outcomes = Concurrently.run(10, i -> () -> send("PATCH", "/resources/" + desk, provider("maison-quartier"),
                "{\"capacity\":" + (2 + i) + "}").statusCode());

        int largestAccepted = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i).value()).isIn(200, 409, 422);
            if (outcomes.get(i).value() == 200) {
                largestAccepted = Math.max(largestAccepted, 2 + i);
            }
        }
        assertThat(Json.tree(send("GET", "/resources/" + desk, resident("x", "centre"), null).body()).path("capacity").asInt())
                .isEqualTo(largestAccepted);
    }

    @Test
    void aRetiredResource_takesNoNewBookings_butKeepsItsBookings() {
        String hall = resource("FESTIVE_HALL", 1, Map.of());
        String id = Json.tree(book("party", hall, at(14, 18), at(14, 20), 1).body()).path("id").asText();

        assertThat(send("DELETE", "/resources/" + hall, resident("party", "centre"), null).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/resources/" + hall, provider("maison-quartier"), null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/resources/" + hall, provider("maison-quartier"), null).statusCode()).isEqualTo(409);

        assertThat(book("late", hall, at(15, 18), at(15, 20), 1).statusCode()).isEqualTo(422);
        assertThat(send("PATCH", "/resources/" + hall, provider("maison-quartier"), "{\"name\":\"x y\"}").statusCode()).isEqualTo(409);
        JsonNode listed = Json.tree(send("GET", "/resources?kind=FESTIVE_HALL&limit=100", resident("x", "centre"), null).body());
        assertThat(listed.path("items").findValuesAsText("id")).doesNotContain(hall);
        assertThat(status("party", id)).isEqualTo("CONFIRMED");
        assertThat(send("POST", "/bookings/" + id + "/cancel", provider("maison-quartier"), "{\"reason\":\"hall closed\"}").statusCode())
                .isEqualTo(200);
    }

    @Test
    void cancelling_afterAQuotaWasAdded_givesBackExactlyWhatTheBookingTook() {
        String space = resource("INCUBATOR_SPACE", 1, Map.of());
        String before = id(book("quota-changer", space, at(16, 10), at(16, 12), 1));
        String legacy = id(book("legacy-booker", space, at(17, 10), at(17, 12), 1));
        String neighbour = id(book("neighbour", space, at(17, 12), at(17, 13), 1));
        // A booking stored before bookings recorded what they took: no hold on its item.
        aws.dynamoDb().updateItem(u -> u.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("BOOKING#" + legacy),
                "sk", AttributeValue.fromS("BOOKING"))).updateExpression("REMOVE #hold").expressionAttributeNames(Map.of("#hold", "hold")));
        // Then the operator adds a buffer, and an agent a weekly-hours and an active-bookings quota.
        assertThat(send("PATCH", "/resources/" + space, provider("maison-quartier"), "{\"bufferMinutes\":60}").statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/quotas/INCUBATOR_SPACE", agent(), "{\"maxActive\":1,\"maxHoursPerWeek\":10}").statusCode()).isEqualTo(200);

        ApiResponse cancelled = send("POST", "/bookings/" + before + "/cancel", resident("quota-changer", "centre"), null);
        ApiResponse legacyCancelled = send("POST", "/bookings/" + legacy + "/cancel", resident("legacy-booker", "centre"), null);

        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(legacyCancelled.statusCode()).as(legacyCancelled.body()).isEqualTo(200);
        assertThat(List.of(slotCounter(space, at(16, 10)), slotCounter(space, at(16, 11)), slotCounter(space, at(16, 12))))
                .containsExactly(0, 0, 0);
        assertThat(List.of(slotCounter(space, at(17, 10)), slotCounter(space, at(17, 11)), slotCounter(space, at(17, 12))))
                .as("the legacy booking gives back its hours, never its neighbour's slot under today's buffer").containsExactly(0, 0, 1);
        assertThat(weekCounter("quota-changer", "INCUBATOR_SPACE", at(16, 10))).as("it took no week minutes").isZero();
        assertThat(weekCounter("legacy-booker", "INCUBATOR_SPACE", at(17, 10))).isZero();
        assertThat(status("neighbour", neighbour)).isEqualTo("CONFIRMED");

        // Under the quota now: what a booking takes is what its cancellation gives back.
        String under = id(book("quota-changer", space, at(16, 14), at(16, 16), 1));
        assertThat(weekCounter("quota-changer", "INCUBATOR_SPACE", at(16, 14))).isEqualTo(120);
        assertThat(slotCounter(space, at(16, 16))).as("its buffer").isEqualTo(1);
        assertThat(send("PUT", "/quotas/INCUBATOR_SPACE", agent(), "{\"maxActive\":3}").statusCode()).as("the weekly quota goes away")
                .isEqualTo(200);
        assertThat(send("POST", "/bookings/" + under + "/cancel", resident("quota-changer", "centre"), null).statusCode()).isEqualTo(200);
        assertThat(weekCounter("quota-changer", "INCUBATOR_SPACE", at(16, 14))).isZero();
        assertThat(List.of(slotCounter(space, at(16, 14)), slotCounter(space, at(16, 15)), slotCounter(space, at(16, 16))))
                .containsExactly(0, 0, 0);
        assertThat(book("quota-changer", space, at(16, 14), at(16, 15), 1).statusCode()).as("the token came back too").isEqualTo(201);
    }

    @Test
    void oneBookingThatCannotBeSettled_doesNotStopTheSweep() throws Exception {
        String room = resource("COMMON_ROOM", 1, Map.of());
        String other = resource("COMMON_ROOM", 1, Map.of());
        String broken = id(book("sleepy-1", room, at(18, 10), at(18, 13), 1));
        String fine = id(book("sleepy-2", other, at(18, 10), at(18, 13), 1));
        // Counters out of step with the first booking (a bug, or an operator's manual fix gone wrong).
        long epoch = ZonedDateTime.parse(at(18, 11)).toEpochSecond();
        aws.dynamoDb().putItem(p -> p.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("RESOURCE#" + room),
                "sk", AttributeValue.fromS(String.format("SLOT#%012d", epoch)), "booked", AttributeValue.fromN("0"))));
        String eleven = at(18, 11);
        String noon = at(18, 12);
        clock.set(ZonedDateTime.parse(at(18, 10)).plusMinutes(20).toInstant());

        var out = new java.io.ByteArrayOutputStream();
        new BookingsSweepHandler(sweeper, reminders, clock).handleRequest(new java.io.ByteArrayInputStream(
                "{\"detail-type\":\"Scheduled Event\",\"id\":\"e-2\"}".getBytes()), out,
                org.territoire.shared.local.LocalContext.of("BookingsSweepFunction"));

        JsonNode summary = Json.tree(out.toString());
        assertThat(summary.path("failed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(status("sleepy-2", fine)).as("settled whatever the order").isEqualTo("NO_SHOW");
        assertThat(List.of(slotCounter(other, eleven), slotCounter(other, noon))).containsExactly(0, 0);
        assertThat(status("sleepy-1", broken)).as("left due, for the next sweep").isEqualTo("CONFIRMED");
        assertThat(slotCounter(room, noon)).as("nothing of the broken one was half-released").isEqualTo(1);
    }

    @Test
    void simultaneousEditsOfDifferentFields_eachApplyOrGet409_andNoneIsLost() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        List<String> patches = List.of("{\"name\":\"Salle A\"}", "{\"description\":\"Au rez-de-chaussée\"}",
                "{\"district\":\"gare\"}", "{\"minNoticeMinutes\":120}", "{\"bufferMinutes\":60}", "{\"linkedDeviceId\":\"lock-a\"}",
                "{\"capacity\":5}", "{\"requiresApproval\":true}", "{\"maxAdvanceDays\":20}", "{\"location\":{\"latitude\":45.7,\"longitude\":4.8}}");

        var outcomes = Concurrently.run(patches.size(), i -> () -> send("PATCH", "/resources/" + room, provider("maison-quartier"),
                patches.get(i)).statusCode());

        JsonNode stored = Json.tree(send("GET", "/resources/" + room, resident("x", "centre"), null).body());
        int applied = 0;
        for (int i = 0; i < patches.size(); i++) {
            int status = outcomes.get(i).value();
            assertThat(status).isIn(200, 409);
            JsonNode patch = Json.tree(patches.get(i));
            String field = patch.fieldNames().next();
            JsonNode value = "location".equals(field) ? stored.path("location") : stored.path(field);
            if (status == 200) {
                applied++;
                assertThat(value).as(field + " was accepted: it must be stored").isEqualTo(patch.path(field));
            } else {
                assertThat(value).as(field + " was refused: it must not be stored").isNotEqualTo(patch.path(field));
            }
        }
        assertThat(applied).isPositive();
        assertThat(stored.path("version").asLong()).as("one version per edit applied").isEqualTo(1 + applied);
    }

    @Test
    void aResourceStoredBeforeVersions_isVersion0_andItsEditsAreConditionedAllTheSame() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        aws.dynamoDb().updateItem(u -> u.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("RESOURCE#" + room),
                "sk", AttributeValue.fromS("RESOURCE"))).updateExpression("REMOVE #v").expressionAttributeNames(Map.of("#v", "version")));
        assertThat(Json.tree(send("GET", "/resources/" + room, resident("x", "centre"), null).body()).path("version").asLong()).isZero();

        var outcomes = Concurrently.run(4, i -> () -> send("PATCH", "/resources/" + room, provider("maison-quartier"),
                "{\"name\":\"Salle " + i + "\"}").statusCode());

        assertThat(outcomes).allSatisfy(o -> assertThat(o.value()).isIn(200, 409));
        long applied = outcomes.stream().filter(o -> o.value() == 200).count();
        assertThat(applied).isPositive();
        assertThat(Json.tree(send("GET", "/resources/" + room, resident("x", "centre"), null).body()).path("version").asLong())
                .isEqualTo(applied);
    }

    @Test
    void anOccupancySensor_findsTheBookingUnderWay_amongMoreThanFiftyFutureOnes() {
        String spot = resource("SHARED_PARKING", 1, new HashMap<>(Map.of("slotMinutes", 5)));
        ZonedDateTime now = parisNow().withSecond(0).withNano(0);
        ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5);
        String current = id(book("driver-now", spot, start.toOffsetDateTime().toString(), start.plusMinutes(30).toOffsetDateTime().toString(), 1));
        for (int k = 0; k < 55; k++) {
            ZonedDateTime s = start.plusHours(1).plusMinutes(5L * k);
            assertThat(book("driver-" + k, spot, s.toOffsetDateTime().toString(), s.plusMinutes(5).toOffsetDateTime().toString(), 1)
                    .statusCode()).isEqualTo(201);
        }
        clock.set(start.plusMinutes(2).toInstant());

        Map<String, Object> outcome = events.handle(occupancy(spot, true, start.plusMinutes(2).toInstant()));

        assertThat(outcome).containsEntry("checkedIn", current);
        assertThat(status("driver-now", current)).isEqualTo("CHECKED_IN");
    }

    @Test
    void contention_isA503WithRetryAfter_neverA409Full_andARetryThatGetsThroughSucceeds() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        String id = id(book("contended", room, at(19, 10), at(19, 11), 1));
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger(1000);
        BookingsHandler busy = handler(conflicting(aws.dynamoDb(), conflicts));

        ApiResponse cancel = busy.handle(event("POST", "/bookings/" + id + "/cancel", resident("contended", "centre"), null, Map.of()));
        ApiResponse booking = busy.handle(event("POST", "/bookings", resident("contended-2", "centre"),
                "{\"resourceId\":\"" + room + "\",\"start\":\"" + at(19, 12) + "\",\"end\":\"" + at(19, 13) + "\"}", Map.of()));

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(503);
        assertThat(cancel.headers()).containsKey("retry-after");
        assertThat(booking.statusCode()).as(booking.body()).isEqualTo(503);
        assertThat(booking.headers()).containsKey("retry-after");
        assertThat(status("contended", id)).isEqualTo("CONFIRMED");
        assertThat(slotCounter(room, at(19, 12))).isZero();

        conflicts.set(2);
        ApiResponse retried = busy.handle(event("POST", "/bookings/" + id + "/cancel", resident("contended", "centre"), null, Map.of()));
        assertThat(retried.statusCode()).as("conflicts are retried inside: " + retried.body()).isEqualTo(200);
        assertThat(slotCounter(room, at(19, 10))).isZero();
    }

    @Test
    void datesAtTheEndsOfInstant_are400_namingTheField_neverA500() {
        String room = resource("COMMON_ROOM", 1, Map.of());
        for (String extreme : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z")) {
            ApiResponse start = send("POST", "/bookings", resident("alice", "centre"),
                    "{\"resourceId\":\"" + room + "\",\"start\":\"" + extreme + "\",\"end\":\"" + at(20, 11) + "\"}");
            ApiResponse end = send("POST", "/bookings", resident("alice", "centre"),
                    "{\"resourceId\":\"" + room + "\",\"start\":\"" + at(20, 10) + "\",\"end\":\"" + extreme + "\"}");
            ApiResponse day = send("GET", "/resources/" + room + "/availability?date=" + extreme.substring(0, extreme.indexOf('T')),
                    resident("alice", "centre"), null);

            assertThat(start.statusCode()).as(start.body()).isEqualTo(400);
            assertThat(Json.tree(start.body()).path("errors").findValuesAsText("field")).contains("start");
            assertThat(end.statusCode()).as(end.body()).isEqualTo(400);
            assertThat(Json.tree(end.body()).path("errors").findValuesAsText("field")).contains("end");
            assertThat(day.statusCode()).as(day.body()).isEqualTo(400);
            assertThat(Json.tree(day.body()).path("errors").findValuesAsText("field")).contains("date");
        }
        assertThat(events.handle(occupancy(room, true, java.time.Instant.MAX))).containsKey("rejected");
        assertThat(events.handle(occupancy(room, true, java.time.Instant.MIN))).containsKey("rejected");
        assertThat(bookingsOf(room)).isEmpty();
    }

    @Test
    void anEventThatCannotSucceed_isAcknowledged_butATransientFailure_isThrownForEventBridgeToRetry() {
        String spot = resource("SHARED_PARKING", 1, new HashMap<>(Map.of("slotMinutes", 5)));
        // A booking item this code cannot read, under the spot's bookings.
        ZonedDateTime start = parisNow().plusMinutes(3);
        aws.dynamoDb().putItem(p -> p.tableName(TABLE).item(Map.of("pk", AttributeValue.fromS("BOOKING#corrupt-" + spot),
                "sk", AttributeValue.fromS("BOOKING"), "gsi2pk", AttributeValue.fromS("RESOURCE#" + spot + "#BOOKINGS"),
                "gsi2sk", AttributeValue.fromS(start.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES) + "#corrupt"),
                "status", AttributeValue.fromS("NO_SUCH_STATUS"))));
        assertThat(events.handle(occupancy(spot, true, clock.instant()))).containsKey("failed");

        java.util.concurrent.atomic.AtomicInteger throttled = new java.util.concurrent.atomic.AtomicInteger(1000);
        BookingsEventsHandler throttledEvents = new BookingsEventsHandler(
                LocalHandlers.wiring(throttling(aws.dynamoDb(), throttled), clock).occupancy());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> throttledEvents.handle(occupancy(spot, false, clock.instant())))
                .isInstanceOf(org.territoire.shared.ddb.StorageException.class);
    }

    /** The local endpoint through a client whose next {@code count} transactions are cancelled by a conflict, as DynamoDB does under contention. */
    private static DynamoDbClient conflicting(DynamoDbClient real, java.util.concurrent.atomic.AtomicInteger count) {
        return (DynamoDbClient) java.lang.reflect.Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transactWriteItems") && count.getAndDecrement() > 0) {
                        int items = args[0] instanceof TransactWriteItemsRequest r ? r.transactItems().size() : requestOf(args[0]).transactItems().size();
                        List<CancellationReason> reasons = new java.util.ArrayList<>();
                        for (int i = 0; i < items; i++) {
                            reasons.add(CancellationReason.builder().code(i == items - 1 ? "TransactionConflict" : "None").build());
                        }
                        throw TransactionCanceledException.builder().message("Transaction cancelled, please refer cancellation reasons")
                                .cancellationReasons(reasons).build();
                    }
                    return invoke(real, method, args);
                });
    }

    /** The local endpoint through a client whose next {@code count} reads are throttled. */
    private static DynamoDbClient throttling(DynamoDbClient real, java.util.concurrent.atomic.AtomicInteger count) {
        return (DynamoDbClient) java.lang.reflect.Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getItem") && count.getAndDecrement() > 0) {
                        throw software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException.builder()
                                .message("Rate exceeded").statusCode(400).awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails
                                        .builder().errorCode("ProvisionedThroughputExceededException").build()).build();
                    }
                    return invoke(real, method, args);
                });
    }

    @SuppressWarnings("unchecked")
    private static TransactWriteItemsRequest requestOf(Object consumer) {
        TransactWriteItemsRequest.Builder b = TransactWriteItemsRequest.builder();
        ((java.util.function.Consumer<TransactWriteItemsRequest.Builder>) consumer).accept(b);
        return b.build();
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static String id(ApiResponse created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body()).path("id").asText();
    }

    /** A person's week counter for a kind, for the ISO week (Paris) of that local time, read from the table itself. */
    private static int weekCounter(String user, String kind, String localTime) {
        LocalDate monday = ZonedDateTime.parse(localTime).toLocalDate().with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY));
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(g -> g.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("QUOTA#" + user + "#" + kind), "sk", AttributeValue.fromS("WEEK#" + monday)))).item();
        return item == null || !item.containsKey("minutes") ? 0 : Integer.parseInt(item.get("minutes").n());
    }

    private static String status(String user, String bookingId) {
        return Json.tree(send("GET", "/bookings/" + bookingId, resident(user, "centre"), null).body()).path("status").asText();
    }

    // ------------------------------------------------------------------ helpers

    /** A local time in Paris, {@code daysAhead} days from today, as ISO with its offset. */
    private static String at(int daysAhead, int hour) {
        return parisNow().toLocalDate().plusDays(daysAhead).atTime(hour, 0).atZone(PARIS).toOffsetDateTime().toString();
    }

    private static String resource(String kind, int capacity, Map<String, Object> extra) {
        ApiResponse created = send("POST", "/resources", provider("maison-quartier"), resourceBody(kind, capacity, null, extra));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.tree(created.body()).path("id").asText();
    }

    private static String resourceBody(String kind, int capacity, String organisation) {
        return resourceBody(kind, capacity, organisation, Map.of());
    }

    private static String resourceBody(String kind, int capacity, String organisation, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", kind, "name", kind + " " + UUID.randomUUID(), "district", "centre",
                "capacity", capacity, "slotMinutes", 60, "maxDurationMinutes", 480, "maxAdvanceDays", 60));
        if (organisation != null) {
            body.put("organisationId", organisation);
        }
        body.putAll(extra);
        return Json.write(body);
    }

    private static ApiResponse book(String user, String resource, String start, String end, int units) {
        return send("POST", "/bookings", resident(user, "centre"),
                "{\"resourceId\":\"" + resource + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\",\"units\":" + units + "}");
    }

    private static ApiResponse send(String method, String path, Map<String, String> claims, String body) {
        return handler.handle(event(method, path, claims, body, Map.of()));
    }

    private static HttpApiEvent event(String method, String path, Map<String, String> claims, String body, Map<String, String> headers) {
        return TestRequests.event(method, path, claims, headers, body);
    }

    private static JsonNode availabilitySlot(String resource, String start) {
        String date = start.substring(0, 10);
        JsonNode slots = Json.tree(send("GET", "/resources/" + resource + "/availability?date=" + date, resident("x", "centre"), null)
                .body()).path("slots");
        String instant = Json.time(ZonedDateTime.parse(start).toInstant());
        for (JsonNode slot : slots) {
            if (slot.path("start").asText().equals(instant)) {
                return slot;
            }
        }
        throw new AssertionError("no slot " + instant + " in " + slots);
    }

    private static List<JsonNode> bookingsOf(String resource) {
        JsonNode page = Json.tree(send("GET", "/resources/" + resource + "/bookings?limit=100", provider("maison-quartier"), null).body());
        List<JsonNode> out = new java.util.ArrayList<>();
        page.path("items").forEach(b -> {
            if (!"CANCELLED".equals(b.path("status").asText())) {
                out.add(b);
            }
        });
        return out;
    }

    /** The slot counter, read from the table itself rather than through the code under test. */
    private static int slotCounter(String resource, String start) {
        long epoch = ZonedDateTime.parse(start).toEpochSecond();
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(g -> g.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("RESOURCE#" + resource), "sk", AttributeValue.fromS(String.format("SLOT#%012d", epoch)))))
                .item();
        return item == null || !item.containsKey("booked") ? 0 : Integer.parseInt(item.get("booked").n());
    }
}
