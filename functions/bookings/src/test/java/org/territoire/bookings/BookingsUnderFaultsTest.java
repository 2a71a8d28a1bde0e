package org.territoire.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Concurrently;
import org.territoire.local.aws.Faults;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.Retries;
import org.territoire.local.aws.TestRequests;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Booking a slot of capacity 3 while DynamoDB conflicts, throttles, fails and loses answers:
 * every answer is 201, 409 or a 503 to retry, never a 500; residents retrying with their
 * Idempotency-Key get one booking each at most; the slot never holds more than its capacity,
 * and its counter equals a recount of the bookings; then cancelling through the same faults
 * gives back exactly what was taken.
 */
class BookingsUnderFaultsTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final String TABLE = "BookingsTable";
    private static final int RESIDENTS = 24;
    private static final int TRIES = 8;
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:02:00Z"));
    private static LocalAws aws;
    private static BookingsHandler handler;

    @BeforeAll
    static void start() {
        aws = LocalAws.shared();
        assumeTrue(aws.faults().isPresent(), "faults need the project's own endpoint");
        handler = LocalHandlers.api(LocalHandlers.wiring(aws.dynamoDb(), clock));
    }

    @Test
    void bookingAndCancellingThroughFaults_neverOverbooks_andKeepsTheCounterEqualToTheBookings() {
        ApiResponse created = send("POST", "/resources", provider("maison-quartier"), Json.write(Map.of("kind", "COWORKING_DESK",
                "name", "Bureaux " + UUID.randomUUID(), "district", "centre", "capacity", 3, "slotMinutes", 60,
                "maxDurationMinutes", 480, "maxAdvanceDays", 60)), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String desk = Json.tree(created.body()).path("id").asText();
        ZonedDateTime start = clock.instant().atZone(PARIS).toLocalDate().plusDays(2).atTime(10, 0).atZone(PARIS);
        String body = "{\"resourceId\":\"" + desk + "\",\"start\":\"" + start.toOffsetDateTime() + "\",\"end\":\""
                + start.plusHours(1).toOffsetDateTime() + "\",\"units\":1}";

        List<List<Integer>> booked = new ArrayList<>();
        List<List<Integer>> cancelled = new ArrayList<>();
        List<JsonNode> stored;
        try (Faults faults = aws.faults().orElseThrow()) {
            faults.storm(4242L, TABLE);
            Concurrently.run(RESIDENTS, i -> () -> tries("POST", "/bookings", "desk-user-" + i, body))
                    .forEach(o -> booked.add(o.value()));
            assertThat(faults.injected().keySet()).contains("TransactionConflict", "DropAfterApplying");

            List<JsonNode> found = bookingsOf(desk);
            stored = found;
            assertThat(found).as("retries get someone a desk").isNotEmpty();
            Concurrently.run(found.size(), i -> () -> tries("POST", "/bookings/" + found.get(i).path("id").asText() + "/cancel",
                    found.get(i).path("userId").asText(), null)).forEach(o -> cancelled.add(o.value()));
        }

        assertThat(booked).allSatisfy(tries -> assertThat(tries).allSatisfy(s -> assertThat(s).as("a 503 comes with Retry-After").isIn(201, 409, 503)));
        long told = booked.stream().filter(t -> t.contains(201)).count();
        assertThat(told).as("told they have a desk").isLessThanOrEqualTo(3);
        assertThat(stored).as("every booking stored was told so, and no one else").hasSize((int) told)
                .extracting(b -> b.path("userId").asText()).doesNotHaveDuplicates();
        assertThat(cancelled).allSatisfy(tries -> assertThat(tries).allSatisfy(s -> assertThat(s).isIn(200, 409, 503)));
        long live = bookingsOf(desk).size();
        assertThat(slotCounter(desk, start)).as("the counter equals a recount of the live bookings").isEqualTo(live);
    }

    /** One person's tries with one Idempotency-Key. */
    private static List<Integer> tries(String method, String path, String user, String body) throws InterruptedException {
        return Retries.withOneKey(TRIES, key -> send(method, path, resident(user, "centre"), body, key));
    }

    private static List<JsonNode> bookingsOf(String resource) {
        JsonNode page = Json.tree(send("GET", "/resources/" + resource + "/bookings?limit=100", provider("maison-quartier"), null, null)
                .body());
        List<JsonNode> out = new ArrayList<>();
        page.path("items").forEach(b -> {
            if (!"CANCELLED".equals(b.path("status").asText())) {
                out.add(b);
            }
        });
        return out;
    }

    private static long slotCounter(String resource, ZonedDateTime start) {
        Map<String, AttributeValue> item = aws.dynamoDb().getItem(g -> g.tableName(TABLE).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("RESOURCE#" + resource),
                        "sk", AttributeValue.fromS(String.format("SLOT#%012d", start.toEpochSecond()))))).item();
        return item == null || !item.containsKey("booked") ? 0 : Long.parseLong(item.get("booked").n());
    }

    private static ApiResponse send(String method, String path, Map<String, String> claims, String body, String idempotencyKey) {
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("idempotency-key", idempotencyKey);
        return handler.handle(TestRequests.event(method, path, claims, headers, body));
    }
}
