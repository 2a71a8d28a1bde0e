package org.territoire.bookings.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.booking.Hold;
import org.territoire.bookings.booking.QuotaRule;
import org.territoire.bookings.booking.Release;
import org.territoire.bookings.booking.Reservation;
import org.territoire.bookings.booking.ReservationRefused;
import org.territoire.bookings.calendar.CalendarFeeds;
import org.territoire.bookings.occupancy.Occupancy;
import org.territoire.bookings.occupancy.OccupancyRepository;
import org.territoire.bookings.resources.Eligibility;
import org.territoire.bookings.resources.OpeningHours;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The bookings table. Items:
 * <pre>
 *   RESOURCE#id        RESOURCE          a resource (GSI1: all by name; GSI2: by kind)
 *   RESOURCE#id        SLOT#epochSeconds units booked in that slot ("booked"), TTL after it
 *   RESOURCE#id        OCCUPANCY         what its sensor last reported (occupied, observedAt)
 *   BOOKING#id         BOOKING           a booking (GSI1: USER#id by start; GSI2: RESOURCE#id#BOOKINGS by start;
 *                                        GSI3, sparse, while open: DUE#utc-date of its sweep time)
 *   QUOTA#user#KIND    TOKEN#n           one of the person's N active-booking tokens (bookingId, endsAt)
 *   QUOTA#user#KIND    WEEK#monday       minutes booked that ISO week ("minutes"), TTL after it
 *   QUOTARULE#KIND     RULE              the kind's quota rule
 *   USER#id            CALFEED           the hash of the person's current calendar feed secret
 *   CALFEED#hash       FEED              whose feed that secret opens
 * </pre>
 * The low-level client is used because every write here is an update expression (ADD to a
 * counter) under a condition, inside a transaction.
 */
public final class DynamoBookingsStore implements ResourceRepository, BookingRepository, CalendarFeeds, OccupancyRepository {
    private static final Duration COUNTER_RETENTION = Duration.ofDays(400);

    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoBookingsStore(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    // ------------------------------------------------------------------ resources

    @Override
    public void create(Resource r) {
        Map<String, AttributeValue> item = resourceItem(r);
        try {
            if (!DynamoCalls.putNew(dynamo, table, item)) {
                throw DomainError.conflict("a resource with this id already exists");
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /**
     * The whole item is replaced, so the write is conditioned on the version the edit read: two
     * edits of different fields made at once cannot both pass, and the loser is told (409)
     * instead of silently undoing the winner's change. An item stored before versions existed
     * has none and counts as version 0.
     */
    @Override
    public boolean update(Resource r, long expectedVersion) {
        String version = expectedVersion == 0 ? "attribute_not_exists(#version)" : "#version = :v";
        Map<String, AttributeValue> values = expectedVersion == 0 ? null : Map.of(":v", n(expectedVersion));
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(resourceItem(r))
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(retiredAt) AND " + version)
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(values)));
    }

    @Override
    public boolean retire(String id, Instant at) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key("RESOURCE#" + id, "RESOURCE"))
                .updateExpression("SET retiredAt = :at ADD #version :one REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(retiredAt)")
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":one", n(1)))));
    }

    private static Map<String, AttributeValue> resourceItem(Resource r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("RESOURCE#" + r.id()));
        item.put("sk", s("RESOURCE"));
        item.put("type", s("RESOURCE"));
        String sort = r.name().toLowerCase(Locale.ROOT) + "#" + r.id();
        item.put("gsi1pk", s("RESOURCES"));
        item.put("gsi1sk", s(sort));
        item.put("gsi2pk", s("RESOURCES#" + r.kind()));
        item.put("gsi2sk", s(sort));
        item.put("id", s(r.id()));
        item.put("kind", s(r.kind().name()));
        item.put("name", s(r.name()));
        optional(item, "description", r.description());
        optional(item, "operatorOrganisation", r.operatorOrganisation());
        optional(item, "lenderId", r.lenderId());
        item.put("district", s(r.district()));
        if (r.latitude() != null) {
            item.put("latitude", n(r.latitude()));
            item.put("longitude", n(r.longitude()));
        }
        item.put("capacity", n(r.capacity()));
        item.put("slotMinutes", n(r.slot().toMinutes()));
        item.put("openingHours", s(Json.write(hoursToJson(r.openingHours()))));
        item.put("zone", s(r.zone().getId()));
        item.put("minDurationMinutes", n(r.minDuration().toMinutes()));
        item.put("maxDurationMinutes", n(r.maxDuration().toMinutes()));
        item.put("minNoticeMinutes", n(r.minNotice().toMinutes()));
        item.put("maxAdvanceMinutes", n(r.maxAdvance().toMinutes()));
        item.put("bufferMinutes", n(r.buffer().toMinutes()));
        item.put("eligibility", s(Json.write(r.eligibility())));
        item.put("requiresApproval", AttributeValue.fromBool(r.requiresApproval()));
        optional(item, "linkedDeviceId", r.linkedDeviceId());
        item.put("createdAt", s(r.createdAt().toString()));
        item.put("createdBy", s(r.createdBy()));
        item.put("version", n(r.version()));
        return item;
    }

    @Override
    public Optional<Resource> find(String id) {
        return get("RESOURCE#" + id, "RESOURCE").map(DynamoBookingsStore::resource);
    }

    @Override
    public Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken) {
        String scope = "resources?kind=" + kind.map(Enum::name).orElse("");
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).limit(limit)
                .indexName(kind.isPresent() ? "GSI2" : "GSI1")
                .keyConditionExpression(kind.isPresent() ? "gsi2pk = :p" : "gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", s(kind.map(k -> "RESOURCES#" + k).orElse("RESOURCES"))));
        tokens.decode(scope, pageToken).ifPresent(q::exclusiveStartKey);
        QueryResponse page = query(q.build());
        return new Page<>(page.items().stream().map(DynamoBookingsStore::resource).toList(),
                tokens.encode(scope, page.lastEvaluatedKey()));
    }

    // ------------------------------------------------------------------ bookings

    @Override
    public void reserve(Reservation r) {
        Booking b = r.booking();
        List<TransactWriteItem> items = new ArrayList<>();
        List<ReservationRefused.Reason> onFailure = new ArrayList<>();
        for (Instant slot : r.slots()) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(key("RESOURCE#" + b.resourceId(), slotKey(slot)))
                    .updateExpression("ADD booked :units SET expiresAt = :ttl")
                    .conditionExpression("attribute_not_exists(booked) OR booked <= :room")
                    .expressionAttributeValues(Map.of(":units", n(b.units()), ":room", n(r.capacity() - b.units()),
                            ":ttl", n(slot.plus(COUNTER_RETENTION).getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.CAPACITY);
        }
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(bookingItem(b))
                .conditionExpression("attribute_not_exists(pk)")).build());
        onFailure.add(ReservationRefused.Reason.ID_TAKEN);
        if (r.quotaToken() != null) {
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                    .item(Map.of("pk", s(quotaPk(b.userId(), b.kind())), "sk", s("TOKEN#" + r.quotaToken()),
                            "bookingId", s(b.id()), "endsAt", n(b.end().getEpochSecond()),
                            "expiresAt", n(b.end().plus(COUNTER_RETENTION).getEpochSecond())))
                    .conditionExpression("attribute_not_exists(bookingId) OR endsAt <= :now")
                    .expressionAttributeValues(Map.of(":now", n(r.now().getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.QUOTA_TOKEN_TAKEN);
        }
        r.weekMinutes().forEach((monday, minutes) -> {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(key(quotaPk(b.userId(), b.kind()), "WEEK#" + monday))
                    .updateExpression("ADD minutes :m SET expiresAt = :ttl")
                    .conditionExpression("attribute_not_exists(minutes) OR minutes <= :room")
                    .expressionAttributeValues(Map.of(":m", n(minutes), ":room", n(r.maxWeekMinutes() - minutes),
                            ":ttl", n(b.end().plus(COUNTER_RETENTION).getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.WEEKLY_QUOTA);
        });
        List<Integer> failed = transact(items);
        if (!failed.isEmpty()) {
            throw new ReservationRefused(onFailure.get(failed.get(0)));
        }
    }

    /** The kernel's transaction: all or nothing, the failed conditions' indexes, its contention policy. */
    private List<Integer> transact(List<TransactWriteItem> items) {
        return DynamoCalls.failedConditions(dynamo, items);
    }

    @Override
    public boolean cancel(Booking b, Release release, String by, String reason, Instant at) {
        List<TransactWriteItem> items = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":cancelled", s(BookingStatus.CANCELLED.name()),
                ":by", s(by), ":at", s(at.toString()), ":pending", s(BookingStatus.PENDING.name()),
                ":confirmed", s(BookingStatus.CONFIRMED.name())));
        String update = "REMOVE gsi3pk, gsi3sk SET #status = :cancelled, cancelledBy = :by, updatedAt = :at";
        if (reason != null) {
            update += ", cancelReason = :reason";
            values.put(":reason", s(reason.strip()));
        }
        String expression = update;
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key("BOOKING#" + b.id(), "BOOKING"))
                .updateExpression(expression).conditionExpression("#status IN (:pending, :confirmed)")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)).build());
        return settle(items, b, release);
    }

    /**
     * Completes a settlement whose first item moves the booking's status under a condition:
     * adds the releases (slot units, week minutes, quota token) and commits. False when the
     * status condition failed (another request settled the booking first): nothing written.
     *
     * <p>The quota token may already belong to another booking (a booking that ended before
     * the sweep saw it lets its token be taken): that release is dropped, it is not ours. For a
     * booking stored without its hold the release was recomputed from today's rules and may
     * name counters it never raised: those whose condition fails are dropped too, so a
     * counter never goes below zero and the settlement still happens. For a booking with its
     * hold, any other failed release means counters out of step with bookings: a bug, thrown.
     */
    private boolean settle(List<TransactWriteItem> status, Booking b, Release release) {
        List<TransactWriteItem> items = new ArrayList<>(status);
        List<Boolean> droppable = new ArrayList<>(java.util.Collections.nCopies(status.size(), false));
        for (Instant slot : release.slots()) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(key("RESOURCE#" + b.resourceId(), slotKey(slot)))
                    .updateExpression("ADD booked :minus").conditionExpression("booked >= :units")
                    .expressionAttributeValues(Map.of(":minus", n(-b.units()), ":units", n(b.units())))).build());
            droppable.add(release.recomputed());
        }
        release.weekMinutes().forEach((monday, minutes) -> {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table)
                    .key(key(quotaPk(b.userId(), b.kind()), "WEEK#" + monday))
                    .updateExpression("ADD minutes :minus").conditionExpression("minutes >= :m")
                    .expressionAttributeValues(Map.of(":minus", n(-minutes), ":m", n(minutes)))).build());
            droppable.add(release.recomputed());
        });
        if (b.quotaToken() != null) {
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(key(quotaPk(b.userId(), b.kind()), "TOKEN#" + b.quotaToken()))
                    .conditionExpression("bookingId = :id").expressionAttributeValues(Map.of(":id", s(b.id())))).build());
            droppable.add(true);
        }
        while (true) {
            List<Integer> failed = transact(items);
            if (failed.isEmpty()) {
                return true;
            }
            if (failed.get(0) < status.size()) {
                return false;
            }
            if (!failed.stream().allMatch(droppable::get)) {
                throw new IllegalStateException("counters out of step with booking " + b.id() + ": items " + failed + " failed");
            }
            // Drop the releases that cannot apply (highest index first) and try the rest again.
            for (int i = failed.size() - 1; i >= 0; i--) {
                items.remove((int) failed.get(i));
                droppable.remove((int) failed.get(i));
            }
        }
    }

    @Override
    public boolean transition(Booking b, BookingStatus from, BookingStatus to, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":from", s(from.name()),
                ":at", s(at.toString())));
        var due = b.withStatus(to).sweepAt();
        String update = "SET #status = :to, updatedAt = :at";
        if (due.isPresent()) {
            update += ", gsi3pk = :duePk, gsi3sk = :dueSk";
            values.put(":duePk", s(duePartition(due.get())));
            values.put(":dueSk", s(dueSort(due.get(), b.id())));
        } else {
            update = "REMOVE gsi3pk, gsi3sk " + update;
        }
        String expression = update;
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key("BOOKING#" + b.id(), "BOOKING"))
                .updateExpression(expression).conditionExpression("#status = :from")
                .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)));
    }

    @Override
    public List<Booking> due(Instant now) {
        List<Booking> due = new ArrayList<>();
        LocalDate today = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = today.minusDays(7); !day.isAfter(today); day = day.plusDays(1)) {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = query(QueryRequest.builder().tableName(table).indexName("GSI3")
                        .keyConditionExpression("gsi3pk = :p AND gsi3sk <= :upTo")
                        .expressionAttributeValues(Map.of(":p", s("DUE#" + day), ":upTo", s(String.format("%012d#~", now.getEpochSecond()))))
                        .exclusiveStartKey(from).build());
                page.items().forEach(i -> due.add(booking(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return due;
    }

    @Override
    public boolean markNoShow(Booking b, Release release, Instant at) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key("BOOKING#" + b.id(), "BOOKING"))
                .updateExpression("REMOVE gsi3pk, gsi3sk SET #status = :noShow, updatedAt = :at")
                .conditionExpression("#status = :confirmed").expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":noShow", s(BookingStatus.NO_SHOW.name()),
                        ":confirmed", s(BookingStatus.CONFIRMED.name()), ":at", s(at.toString())))).build());
        return settle(items, b, release);
    }

    @Override
    public Optional<Booking> findBooking(String id) {
        return get("BOOKING#" + id, "BOOKING").map(DynamoBookingsStore::booking);
    }

    @Override
    public Page<Booking> ofUser(String userId, int limit, Optional<String> pageToken) {
        return bookingPage("GSI1", "gsi1pk", "USER#" + userId, "bookings?user=" + userId, limit, pageToken);
    }

    @Override
    public Page<Booking> ofResource(String resourceId, int limit, Optional<String> pageToken) {
        return bookingPage("GSI2", "gsi2pk", "RESOURCE#" + resourceId + "#BOOKINGS", "bookings?resource=" + resourceId,
                limit, pageToken);
    }

    /**
     * GSI2 sorts a resource's bookings by {@code start#id}, start as an ISO instant. Starts are
     * on slot boundaries (whole minutes), so the bounds are written to the second: text order
     * is then time order ("10:00:00.5Z" would sort after "10:00:00Z#...").
     */
    @Override
    public List<Booking> ofResourceStartingBetween(String resourceId, Instant from, Instant to) {
        QueryRequest q = QueryRequest.builder().tableName(table).indexName("GSI2").scanIndexForward(false)
                .keyConditionExpression("gsi2pk = :p AND gsi2sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s("RESOURCE#" + resourceId + "#BOOKINGS"),
                        ":from", s(from.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()),
                        ":to", s(to.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "#~")))
                .build();
        return DynamoCalls.queryAll(dynamo, q).stream().map(DynamoBookingsStore::booking).toList();
    }

    private Page<Booking> bookingPage(String index, String attribute, String partition, String scope, int limit,
                                      Optional<String> pageToken) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index).limit(limit)
                .scanIndexForward(false).keyConditionExpression(attribute + " = :p")
                .expressionAttributeValues(Map.of(":p", s(partition)));
        tokens.decode(scope, pageToken).ifPresent(q::exclusiveStartKey);
        QueryResponse page = query(q.build());
        return new Page<>(page.items().stream().map(DynamoBookingsStore::booking).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    @Override
    public Map<Instant, Integer> usage(String resourceId, Instant from, Instant to) {
        Map<Instant, Integer> usage = new LinkedHashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusive = start;
            QueryResponse page = query(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", s("RESOURCE#" + resourceId), ":from", s(slotKey(from)),
                            ":to", s(slotKey(to.minusSeconds(1)))))
                    .exclusiveStartKey(exclusive).build());
            page.items().forEach(i -> {
                int booked = Integer.parseInt(i.get("booked").n());
                if (booked > 0) {
                    usage.put(Instant.ofEpochSecond(Long.parseLong(i.get("sk").s().substring(5))), booked);
                }
            });
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return usage;
    }

    @Override
    public Map<Integer, Instant> heldTokens(String userId, ResourceKind kind) {
        QueryResponse page = query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":pk", s(quotaPk(userId, kind)), ":t", s("TOKEN#"))).build());
        Map<Integer, Instant> held = new HashMap<>();
        page.items().forEach(i -> held.put(Integer.parseInt(i.get("sk").s().substring(6)),
                Instant.ofEpochSecond(Long.parseLong(i.get("endsAt").n()))));
        return held;
    }

    @Override
    public Optional<QuotaRule> quotaRule(ResourceKind kind) {
        return get("QUOTARULE#" + kind, "RULE").map(i -> quotaRule(kind, i));
    }

    private static QuotaRule quotaRule(ResourceKind kind, Map<String, AttributeValue> i) {
        return new QuotaRule(kind,
                i.containsKey("maxActive") ? Integer.valueOf(i.get("maxActive").n()) : null,
                i.containsKey("maxMinutesPerWeek") ? Integer.valueOf(i.get("maxMinutesPerWeek").n()) : null,
                i.containsKey("weeklySince") ? Instant.parse(i.get("weeklySince").s()) : null);
    }

    /** One update: {@code weeklySince} is set only if the weekly limit did not apply yet, and removed with it. */
    @Override
    public QuotaRule saveQuotaRule(QuotaRule rule) {
        List<String> set = new ArrayList<>(List.of("#type = :type"));
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", s("QUOTARULE")));
        if (rule.maxActive() != null) {
            set.add("maxActive = :active");
            values.put(":active", n(rule.maxActive()));
        } else {
            remove.add("maxActive");
        }
        if (rule.maxMinutesPerWeek() != null) {
            set.add("maxMinutesPerWeek = :weekly");
            set.add("weeklySince = if_not_exists(weeklySince, :since)");
            values.put(":weekly", n(rule.maxMinutesPerWeek()));
            values.put(":since", s(Optional.ofNullable(rule.weeklySince()).orElse(Instant.EPOCH).toString()));
        } else {
            remove.add("maxMinutesPerWeek");
            remove.add("weeklySince");
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            Map<String, AttributeValue> stored = dynamo.updateItem(u -> u.tableName(table).key(key("QUOTARULE#" + rule.kind(), "RULE"))
                    .updateExpression(expression).expressionAttributeNames(Map.of("#type", "type"))
                    .expressionAttributeValues(values).returnValues(software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_NEW))
                    .attributes();
            return quotaRule(rule.kind(), stored);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    // ------------------------------------------------------------------ occupancy

    @Override
    public boolean record(Occupancy o) {
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table)
                .item(Map.of("pk", s("RESOURCE#" + o.resourceId()), "sk", s("OCCUPANCY"),
                        "occupied", AttributeValue.fromBool(o.occupied()), "observedAt", n(o.observedAt().toEpochMilli())))
                .conditionExpression("attribute_not_exists(observedAt) OR observedAt < :at")
                .expressionAttributeValues(Map.of(":at", n(o.observedAt().toEpochMilli())))));
    }

    @Override
    public Optional<Occupancy> occupancy(String resourceId) {
        return get("RESOURCE#" + resourceId, "OCCUPANCY").map(i -> new Occupancy(resourceId, i.get("occupied").bool(),
                Instant.ofEpochMilli(Long.parseLong(i.get("observedAt").n()))));
    }

    // ------------------------------------------------------------------ calendar feeds

    @Override
    public void replace(String userId, String secretHash) {
        Optional<String> previous = get("USER#" + userId, "CALFEED").map(i -> i.get("secretHash").s());
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(Map.of("pk", s("USER#" + userId), "sk", s("CALFEED"), "secretHash", s(secretHash)))
                .conditionExpression(previous.isPresent() ? "secretHash = :previous" : "attribute_not_exists(pk)")
                .expressionAttributeValues(previous.map(h -> Map.of(":previous", s(h))).orElse(null))).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table)
                .item(Map.of("pk", s("CALFEED#" + secretHash), "sk", s("FEED"), "userId", s(userId)))).build());
        previous.ifPresent(h -> items.add(TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key("CALFEED#" + h, "FEED"))).build()));
        if (!transact(items).isEmpty()) {
            throw DomainError.conflict("your calendar link was being renewed by another request; retry");
        }
    }

    @Override
    public Optional<String> owner(String secretHash) {
        return get("CALFEED#" + secretHash, "FEED").map(i -> i.get("userId").s());
    }

    // ------------------------------------------------------------------ mapping

    private Map<String, AttributeValue> bookingItem(Booking b) {
        Map<String, AttributeValue> item = new HashMap<>(key("BOOKING#" + b.id(), "BOOKING"));
        String sort = b.start() + "#" + b.id();
        item.put("type", s("BOOKING"));
        item.put("gsi1pk", s("USER#" + b.userId()));
        item.put("gsi1sk", s(sort));
        item.put("gsi2pk", s("RESOURCE#" + b.resourceId() + "#BOOKINGS"));
        item.put("gsi2sk", s(sort));
        item.put("id", s(b.id()));
        item.put("resourceId", s(b.resourceId()));
        item.put("kind", s(b.kind().name()));
        item.put("userId", s(b.userId()));
        item.put("start", s(b.start().toString()));
        item.put("end", s(b.end().toString()));
        item.put("units", n(b.units()));
        item.put("status", s(b.status().name()));
        item.put("createdAt", s(b.createdAt().toString()));
        optional(item, "quotaToken", b.quotaToken());
        if (b.hold() != null) {
            item.put("hold", holdItem(b.hold()));
        }
        b.sweepAt().ifPresent(due -> {
            item.put("gsi3pk", s(duePartition(due)));
            item.put("gsi3sk", s(dueSort(due, b.id())));
        });
        return item;
    }

    /** {@code {"slots": [epoch seconds...], "weeks": {"2026-11-30": minutes}}}: the counters it raised, by their keys. */
    private static AttributeValue holdItem(Hold h) {
        Map<String, AttributeValue> weeks = new HashMap<>();
        h.weekMinutes().forEach((monday, minutes) -> weeks.put(monday.toString(), n(minutes)));
        return AttributeValue.fromM(Map.of(
                "slots", AttributeValue.fromL(h.slots().stream().map(slot -> n(slot.getEpochSecond())).toList()),
                "weeks", AttributeValue.fromM(weeks)));
    }

    private static Hold hold(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        Map<LocalDate, Integer> weeks = new LinkedHashMap<>();
        v.m().get("weeks").m().forEach((monday, minutes) -> weeks.put(LocalDate.parse(monday), Integer.parseInt(minutes.n())));
        return new Hold(v.m().get("slots").l().stream().map(x -> Instant.ofEpochSecond(Long.parseLong(x.n()))).toList(), weeks);
    }

    private static String duePartition(Instant due) {
        return "DUE#" + due.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }

    /** Fixed-width epoch seconds: ISO instants do not sort as text ("10:00:00.5Z" before "10:00:00Z"). */
    private static String dueSort(Instant due, String id) {
        return String.format("%012d#%s", due.getEpochSecond(), id);
    }

    private static Booking booking(Map<String, AttributeValue> i) {
        return new Booking(i.get("id").s(), i.get("resourceId").s(), ResourceKind.valueOf(i.get("kind").s()),
                i.get("userId").s(), Instant.parse(i.get("start").s()), Instant.parse(i.get("end").s()),
                Integer.parseInt(i.get("units").n()), BookingStatus.valueOf(i.get("status").s()),
                Instant.parse(i.get("createdAt").s()), str(i, "cancelledBy"), str(i, "cancelReason"), str(i, "quotaToken"),
                hold(i.get("hold")));
    }

    private static Resource resource(Map<String, AttributeValue> i) {
        Map<String, List<String>> hours = Json.MAPPER.convertValue(Json.tree(i.get("openingHours").s()),
                new TypeReference<Map<String, List<String>>>() { });
        Map<DayOfWeek, List<OpeningHours.Period>> days = new EnumMap<>(DayOfWeek.class);
        hours.forEach((day, periods) -> days.put(DayOfWeek.valueOf(day), periods.stream().map(OpeningHours.Period::parse).toList()));
        return new Resource(i.get("id").s(), ResourceKind.valueOf(i.get("kind").s()), i.get("name").s(),
                str(i, "description"), str(i, "operatorOrganisation"), str(i, "lenderId"), i.get("district").s(),
                i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null,
                Integer.parseInt(i.get("capacity").n()), minutes(i, "slotMinutes"), new OpeningHours(days),
                ZoneId.of(i.get("zone").s()), minutes(i, "minDurationMinutes"), minutes(i, "maxDurationMinutes"),
                minutes(i, "minNoticeMinutes"), minutes(i, "maxAdvanceMinutes"), minutes(i, "bufferMinutes"),
                Json.MAPPER.convertValue(Json.tree(i.get("eligibility").s()), Eligibility.class),
                i.get("requiresApproval").bool(), str(i, "linkedDeviceId"), Instant.parse(i.get("createdAt").s()),
                i.get("createdBy").s(), i.containsKey("retiredAt") ? Instant.parse(i.get("retiredAt").s()) : null,
                i.containsKey("version") ? Long.parseLong(i.get("version").n()) : 0);
    }

    private static Map<String, List<String>> hoursToJson(OpeningHours hours) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        hours.days().forEach((day, periods) -> out.put(day.name(), periods.stream().map(OpeningHours.Period::toString).toList()));
        return out;
    }

    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        return DynamoCalls.get(dynamo, table, key(pk, sk));
    }

    private QueryResponse query(QueryRequest request) {
        return DynamoCalls.query(dynamo, request);
    }

    static String slotKey(Instant slot) {
        return String.format("SLOT#%012d", slot.getEpochSecond());
    }

    private static String quotaPk(String userId, ResourceKind kind) {
        return "QUOTA#" + userId + "#" + kind;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    private static Duration minutes(Map<String, AttributeValue> i, String name) {
        return Duration.ofMinutes(Long.parseLong(i.get(name).n()));
    }

    private static void optional(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isBlank()) {
            item.put(name, s(value));
        }
    }
}
