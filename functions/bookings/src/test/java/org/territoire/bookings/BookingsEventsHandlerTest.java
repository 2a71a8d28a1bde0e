package org.territoire.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.memory.MemoryBookings;
import org.territoire.bookings.memory.MemoryOccupancy;
import org.territoire.bookings.memory.MemoryResources;
import org.territoire.bookings.occupancy.OccupancyService;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The occupancy consumer on in-memory ports: what can never succeed is acknowledged (rejected
 * or failed), what may succeed later is thrown for EventBridge to retry.
 */
@Tag("unit")
class BookingsEventsHandlerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T09:05:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final MemoryResources resources = new MemoryResources();
    private final MemoryBookings bookings = new MemoryBookings();
    private final MemoryOccupancy occupancy = new MemoryOccupancy();
    private final BookingsEventsHandler handler = new BookingsEventsHandler(new OccupancyService(resources, bookings, occupancy, clock));
    private final Resource spot = new ResourceService(resources, clock, ZoneId.of("Europe/Paris")).create(
            Caller.fromClaims(Map.of("sub", "p-1", "cognito:groups", "[provider]", "custom:organisation", "parkings")).orElseThrow(),
            new CreateResourceCommand(ResourceKind.SHARED_PARKING, "Place 12", null, null, "centre", null, 1, 5, null, null,
                    null, 120, null, null, null, null, null, null, null));

    @Test
    void anArrival_isRecorded_andChecksInTheBookingUnderWay() {
        bookings.put(new Booking("b-1", spot.id(), spot.kind(), "alice", NOW.minusSeconds(300), NOW.plusSeconds(3300), 1,
                BookingStatus.CONFIRMED, NOW.minusSeconds(86_400), null, null, null, null));

        assertThat(handler.handle(event(spot.id(), "true", NOW.toString()))).containsEntry("recorded", true).containsEntry("checkedIn", "b-1");
        assertThat(handler.handle(event(spot.id(), "true", NOW.toString()))).as("a duplicate").containsEntry("recorded", false);
    }

    @Test
    void whatCanNeverSucceed_isRejected_andNothingRecorded() {
        assertThat(handler.handle(Json.tree("{\"detail-type\":\"Something Else\",\"detail\":{}}"))).containsKey("rejected");
        assertThat(handler.handle(event("", "true", NOW.toString()))).containsKey("rejected");
        assertThat(handler.handle(event(spot.id(), "\"yes\"", NOW.toString()))).containsKey("rejected");
        assertThat(handler.handle(event(spot.id(), "true", "yesterday"))).containsKey("rejected");
        assertThat(handler.handle(event(spot.id(), "true", NOW.plusSeconds(8 * 86_400).toString())))
                .as("a broken sensor clock, refused by the service").hasEntrySatisfying("rejected",
                        reason -> assertThat(reason.toString()).contains("observedAt"));
        assertThat(handler.handle(event("no-such-spot", "true", NOW.toString()))).containsKey("rejected");
        assertThat(occupancy.stored).isEmpty();
    }

    @Test
    void aTransientStorageFailure_isThrownForARetry_butAPermanentOneOrABug_isAcknowledgedAsFailed() {
        OccupancyService busy = new OccupancyService(failing(StorageException.busy("busy", null)), bookings, occupancy, clock);
        OccupancyService refused = new OccupancyService(failing(StorageException.from(DynamoDbException.builder()
                .message("validation").statusCode(400).build())), bookings, occupancy, clock);
        OccupancyService buggy = new OccupancyService(failing(new IllegalStateException("a bug")), bookings, occupancy, clock);

        assertThatThrownBy(() -> new BookingsEventsHandler(busy).handle(event(spot.id(), "true", NOW.toString())))
                .isInstanceOf(StorageException.class);
        assertThat(new BookingsEventsHandler(refused).handle(event(spot.id(), "true", NOW.toString()))).containsKey("failed");
        assertThat(new BookingsEventsHandler(buggy).handle(event(spot.id(), "true", NOW.toString()))).containsKey("failed");
    }

    private static ResourceRepository failing(RuntimeException e) {
        return new ResourceRepository() {
            public void create(Resource r) { throw e; }
            public boolean update(Resource r, long v) { throw e; }
            public boolean retire(String id, Instant at) { throw e; }
            public Optional<Resource> find(String id) { throw e; }
            public Page<Resource> list(Optional<ResourceKind> k, int l, Optional<String> t) { throw e; }
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode event(String resourceId, String occupied, String observedAt) {
        return Json.tree("{\"detail-type\":\"Occupancy Changed\",\"id\":\"e-1\",\"detail\":{\"resourceId\":\"%s\",\"occupied\":%s,\"observedAt\":\"%s\"}}"
                .formatted(resourceId, occupied, observedAt));
    }
}
