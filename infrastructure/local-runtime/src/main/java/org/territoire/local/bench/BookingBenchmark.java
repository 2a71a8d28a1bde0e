package org.territoire.local.bench;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.territoire.bookings.BookingsHandler;
import org.territoire.bookings.Wiring;
import org.territoire.bookings.store.IotLockCommands;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Booking throughput and latency under contention against the local endpoint, and the
 * DynamoDB request units per booking and per cancellation. Not a test: it prints figures for
 * docs/benchmarks.md. The handler runs in-process, exactly as the Lambda function would, with
 * a client that counts its DynamoDB calls.
 *
 * <p>Usage: {@code ./run-local.sh bench-bookings [threads]}
 */
public final class BookingBenchmark {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private BookingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        LocalAws aws = LocalAws.shared();
        DynamoCallCounter counter = new DynamoCallCounter();
        DynamoDbClient dynamo = counter.client();
        String table = "BookingsTable";
        Clock clock = Clock.systemUTC();
        Wiring w = Wiring.of(dynamo, table, clock, PARIS, PaginationKey.load());
        BookingsHandler handler = new BookingsHandler(w.resources(), w.bookings(new IotLockCommands(java.util.Optional.empty())),
                w.quotas(), w.calendars(), w.occupancy(), w.idempotency());

        System.out.printf("Bookings against the local endpoint (one request at a time, see docs/decisions.md), %d client threads, JVM %s%n%n",
                threads, System.getProperty("java.version"));
        // Warm up the JVM and the endpoint.
        String warm = resource(handler, 1000);
        Load.run(threads, 200, i -> () -> book(handler, "warm-" + i, warm, 3 + i % 20, 1));

        String contended = resource(handler, 10);
        Load.Run contention = Load.run(threads, 400, i -> () -> book(handler, "user-" + i, contended, 2, 1));
        String spread = resource(handler, 1000);
        Load.Run uncontended = Load.run(threads, 400, i -> () -> book(handler, "user-" + i, spread, 3 + i % 20, 1 + i % 10));

        Load.Run puts = Load.run(threads, 400, i -> () -> raw(dynamo, table, false));
        Load.Run transactions = Load.run(threads, 400, i -> () -> raw(dynamo, table, true));

        Load.header();
        Load.row("400 requests for one 1-hour slot of capacity 10", contention);
        Load.row("400 bookings spread over 20 hours, capacity 1000", uncontended);
        Load.row("raw endpoint: 400 PutItem of one small item", puts);
        Load.row("raw endpoint: 400 TransactWriteItems of one small item", transactions);

        System.out.println("\nDynamoDB work per operation (measured calls, units derived for items under 1 KB):\n");
        System.out.println("| operation | calls | read units | write units |");
        System.out.println("|---|---:|---:|---:|");
        String unitResource = resource(handler, 5);
        counter.reset();
        ApiResponse booked = book(handler, "units-user", unitResource, 4, 1, 1, null);
        units(counter, "book 1 hour (1 slot), no quota, no Idempotency-Key");
        String id = Json.tree(booked.body()).path("id").asText();
        counter.reset();
        book(handler, "units-user-2", unitResource, 6, 3, 1, UUID.randomUUID().toString());
        units(counter, "book 3 hours (3 slots), no quota, with Idempotency-Key");
        handler.handle(event("PUT", "/quotas/LENT_EQUIPMENT", agent(), "{\"maxActive\":3,\"maxHoursPerWeek\":20}", Map.of()));
        String lent = resourceOfKind(handler, "LENT_EQUIPMENT", 5);
        counter.reset();
        ApiResponse quotaBooked = book(handler, "units-user-3", lent, 4, 1, 1, null);
        units(counter, "book 1 hour with active and weekly quotas");
        counter.reset();
        handler.handle(event("POST", "/bookings/" + id + "/cancel", resident("units-user"), null, Map.of()));
        units(counter, "cancel a 1-hour booking, no quota");
        counter.reset();
        handler.handle(event("POST", "/bookings/" + Json.tree(quotaBooked.body()).path("id").asText() + "/cancel",
                resident("units-user-3"), null, Map.of()));
        units(counter, "cancel a 1-hour booking with quotas");
        aws.close();
        System.exit(0);
    }

    /** The local endpoint alone, on the same table, for scale: one small item per call. */
    private static ApiResponse raw(DynamoDbClient dynamo, String table, boolean transactional) {
        var item = Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("BENCH#" + UUID.randomUUID()),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("RAW"));
        if (transactional) {
            dynamo.transactWriteItems(t -> t.transactItems(w -> w.put(p -> p.tableName(table).item(item))));
        } else {
            dynamo.putItem(p -> p.tableName(table).item(item));
        }
        return new ApiResponse(201, Map.of(), null);
    }

    private static void units(DynamoCallCounter counter, String label) {
        System.out.printf("| %s | %d | %.1f | %.0f |%n", label, counter.calls(), counter.readUnits(), counter.writeUnits());
    }

    private static String resource(BookingsHandler handler, int capacity) {
        return resourceOfKind(handler, "COWORKING_DESK", capacity);
    }

    private static String resourceOfKind(BookingsHandler handler, String kind, int capacity) {
        String body = Json.write(Map.of("kind", kind, "name", "bench " + UUID.randomUUID(), "district", "centre",
                "capacity", capacity, "slotMinutes", 60, "maxDurationMinutes", 480, "maxAdvanceDays", 60, "organisationId", "bench"));
        ApiResponse created = handler.handle(event("POST", "/resources", agent(), body, Map.of()));
        if (created.statusCode() != 201) {
            throw new IllegalStateException(created.body());
        }
        return Json.tree(created.body()).path("id").asText();
    }

    private static ApiResponse book(BookingsHandler handler, String user, String resource, int hour, int units) {
        return book(handler, user, resource, hour, 1, units, null);
    }

    private static ApiResponse book(BookingsHandler handler, String user, String resource, int hour, int hours, int units,
                                    String idempotencyKey) {
        LocalDate day = LocalDate.now(PARIS).plusDays(3);
        String start = day.atTime(hour, 0).atZone(PARIS).toOffsetDateTime().toString();
        String end = day.atTime(hour, 0).plusHours(hours).atZone(PARIS).toOffsetDateTime().toString();
        String body = "{\"resourceId\":\"" + resource + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\",\"units\":" + units + "}";
        return handler.handle(event("POST", "/bookings", resident(user), body,
                idempotencyKey == null ? Map.of() : Map.of("idempotency-key", idempotencyKey)));
    }

    private static HttpApiEvent event(String method, String path, Map<String, String> claims, String body, Map<String, String> headers) {
        return new HttpApiEvent(UUID.randomUUID().toString(), method, path, headers, Map.of(), Map.of(), body, claims);
    }

    private static Map<String, String> resident(String id) {
        return Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", "centre");
    }

    private static Map<String, String> agent() {
        return Map.of("sub", "bench-agent", "cognito:groups", "[agent]", "custom:organisation", "mairie");
    }
}
