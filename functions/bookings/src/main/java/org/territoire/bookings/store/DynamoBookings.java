package org.territoire.bookings.store;

import static org.territoire.bookings.store.BookingsTable.COUNTER_RETENTION;
import static org.territoire.bookings.store.BookingsTable.DUE_INDEX;
import static org.territoire.bookings.store.BookingsTable.DUE_PK;
import static org.territoire.bookings.store.BookingsTable.DUE_SK;
import static org.territoire.bookings.store.BookingsTable.EXPIRES_AT;
import static org.territoire.bookings.store.BookingsTable.GSI1;
import static org.territoire.bookings.store.BookingsTable.GSI1PK;
import static org.territoire.bookings.store.BookingsTable.GSI1SK;
import static org.territoire.bookings.store.BookingsTable.GSI2;
import static org.territoire.bookings.store.BookingsTable.GSI2PK;
import static org.territoire.bookings.store.BookingsTable.GSI2SK;
import static org.territoire.bookings.store.BookingsTable.PK;
import static org.territoire.bookings.store.BookingsTable.SK;
import static org.territoire.bookings.store.BookingsTable.REVISION;
import static org.territoire.bookings.store.BookingsTable.STATUS;
import static org.territoire.bookings.store.BookingsTable.TOKEN_PREFIX;
import static org.territoire.bookings.store.BookingsTable.TYPE;
import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.booking.Hold;
import org.territoire.bookings.booking.Release;
import org.territoire.bookings.booking.Reservation;
import org.territoire.bookings.booking.ReservationRefused;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Bookings and what they hold: the booking item, the slot counters of its resource, the
 * person's quota token and week minutes. A reservation and each settlement are one
 * transaction over all of them, so a counter always equals the bookings that raised it.
 */
public final class DynamoBookings implements BookingRepository, org.territoire.bookings.booking.ReminderRepository {
    private final BookingsTable table;
    private final PageTokens tokens;

    public DynamoBookings(BookingsTable table, PageTokens tokens) {
        this.table = table;
        this.tokens = tokens;
    }

    // ------------------------------------------------------------------ reserving

    @Override
    public void reserve(Reservation r) {
        Booking b = r.booking();
        List<TransactWriteItem> items = new ArrayList<>();
        List<ReservationRefused.Reason> onFailure = new ArrayList<>();
        for (Instant slot : r.slots()) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                    .key(BookingsTable.slotKey(b.resourceId(), slot))
                    .updateExpression("ADD booked :units SET " + EXPIRES_AT + " = :ttl")
                    .conditionExpression("attribute_not_exists(booked) OR booked <= :room")
                    .expressionAttributeValues(Map.of(":units", n(b.units()), ":room", n(r.capacity() - b.units()),
                            ":ttl", n(slot.plus(COUNTER_RETENTION).getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.CAPACITY);
        }
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item(b))
                .conditionExpression("attribute_not_exists(pk)")).build());
        onFailure.add(ReservationRefused.Reason.ID_TAKEN);
        if (r.quotaToken() != null) {
            Map<String, AttributeValue> token = new HashMap<>(BookingsTable.tokenKey(b.userId(), b.kind(), r.quotaToken().toString()));
            token.put("bookingId", s(b.id()));
            token.put("endsAt", n(b.end().getEpochSecond()));
            token.put(EXPIRES_AT, n(b.end().plus(COUNTER_RETENTION).getEpochSecond()));
            // A token whose booking has ended may be taken over: no sweep needs to have run.
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(token)
                    .conditionExpression("attribute_not_exists(bookingId) OR endsAt <= :now")
                    .expressionAttributeValues(Map.of(":now", n(r.now().getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.QUOTA_TOKEN_TAKEN);
        }
        r.weekMinutes().forEach((monday, minutes) -> {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                    .key(BookingsTable.weekKey(b.userId(), b.kind(), monday))
                    .updateExpression("ADD minutes :m SET " + EXPIRES_AT + " = :ttl")
                    .conditionExpression("attribute_not_exists(minutes) OR minutes <= :room")
                    .expressionAttributeValues(Map.of(":m", n(minutes), ":room", n(r.maxWeekMinutes() - minutes),
                            ":ttl", n(b.end().plus(COUNTER_RETENTION).getEpochSecond())))).build());
            onFailure.add(ReservationRefused.Reason.WEEKLY_QUOTA);
        });
        // The booker's account was not erased meanwhile (see Erasures: the erasure writes the tombstone first).
        items.add(org.territoire.shared.accounts.Erasures.notErased(table.name(), b.userId()));
        onFailure.add(ReservationRefused.Reason.ACCOUNT_ERASED);
        List<Integer> failed = table.transact(items);
        if (!failed.isEmpty()) {
            throw new ReservationRefused(onFailure.get(failed.get(0)));
        }
    }

    // ------------------------------------------------------------------ settling

    @Override
    public boolean cancel(Booking b, Release release, String by, String reason, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":cancelled", s(BookingStatus.CANCELLED.name()),
                ":by", s(by), ":at", s(at.toString()), ":pending", s(BookingStatus.PENDING.name()),
                ":confirmed", s(BookingStatus.CONFIRMED.name())));
        values.put(":one", n(1));
        String update = "REMOVE " + DUE_PK + ", " + DUE_SK + " SET #status = :cancelled, cancelledBy = :by, updatedAt = :at";
        if (reason != null) {
            update += ", cancelReason = :reason";
            values.put(":reason", s(reason.strip()));
        }
        update += " ADD " + REVISION + " :one";
        String expression = update;
        return settle(TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(BookingsTable.bookingKey(b.id()))
                .updateExpression(expression).conditionExpression("#status IN (:pending, :confirmed)")
                .expressionAttributeNames(Map.of("#status", STATUS)).expressionAttributeValues(values)).build(), b, release);
    }

    @Override
    public boolean markNoShow(Booking b, Release release, Instant at) {
        return settle(TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(BookingsTable.bookingKey(b.id()))
                .updateExpression("REMOVE " + DUE_PK + ", " + DUE_SK + " SET #status = :noShow, updatedAt = :at ADD " + REVISION + " :one")
                .conditionExpression("#status = :confirmed").expressionAttributeNames(Map.of("#status", STATUS))
                .expressionAttributeValues(Map.of(":noShow", s(BookingStatus.NO_SHOW.name()),
                        ":confirmed", s(BookingStatus.CONFIRMED.name()), ":at", s(at.toString()), ":one", n(1)))).build(), b, release);
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
    private boolean settle(TransactWriteItem status, Booking b, Release release) {
        List<TransactWriteItem> items = new ArrayList<>(List.of(status));
        List<Boolean> droppable = new ArrayList<>(List.of(false));
        for (Instant slot : release.slots()) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                    .key(BookingsTable.slotKey(b.resourceId(), slot))
                    .updateExpression("ADD booked :minus").conditionExpression("booked >= :units")
                    .expressionAttributeValues(Map.of(":minus", n(-b.units()), ":units", n(b.units())))).build());
            droppable.add(release.recomputed());
        }
        release.weekMinutes().forEach((monday, minutes) -> {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                    .key(BookingsTable.weekKey(b.userId(), b.kind(), monday))
                    .updateExpression("ADD minutes :minus").conditionExpression("minutes >= :m")
                    .expressionAttributeValues(Map.of(":minus", n(-minutes), ":m", n(minutes)))).build());
            droppable.add(release.recomputed());
        });
        if (b.quotaToken() != null) {
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                    .key(BookingsTable.tokenKey(b.userId(), b.kind(), b.quotaToken()))
                    .conditionExpression("bookingId = :id").expressionAttributeValues(Map.of(":id", s(b.id())))).build());
            droppable.add(true);
        }
        while (true) {
            List<Integer> failed = table.transact(items);
            if (failed.isEmpty()) {
                return true;
            }
            if (failed.get(0) == 0) {
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

    /** One conditional update; the sweep index follows the new status (kept, moved or removed). */
    @Override
    public boolean transition(Booking b, BookingStatus from, BookingStatus to, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":from", s(from.name()),
                ":at", s(at.toString()), ":one", n(1)));
        var due = b.withStatus(to).sweepAt();
        String update = "SET #status = :to, updatedAt = :at";
        if (due.isPresent()) {
            update += ", " + DUE_PK + " = :duePk, " + DUE_SK + " = :dueSk";
            values.put(":duePk", s(BookingsTable.duePartition(due.get())));
            values.put(":dueSk", s(BookingsTable.dueSort(due.get(), b.id())));
        } else {
            update = "REMOVE " + DUE_PK + ", " + DUE_SK + " " + update;
        }
        String expression = update + " ADD " + REVISION + " :one";
        return org.territoire.shared.ddb.DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name())
                .key(BookingsTable.bookingKey(b.id()))
                .updateExpression(expression).conditionExpression("#status = :from")
                .expressionAttributeNames(Map.of("#status", STATUS)).expressionAttributeValues(values)));
    }

    /** The sweep index, one UTC day at a time, a week back: a booking no sweep saw for longer is still found. */
    @Override
    public List<Booking> due(Instant now) {
        List<Booking> due = new ArrayList<>();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = today.minusDays(7); !day.isAfter(today); day = day.plusDays(1)) {
            QueryRequest q = table.queryRequest().indexName(DUE_INDEX)
                    .keyConditionExpression(DUE_PK + " = :p AND " + DUE_SK + " <= :upTo")
                    .expressionAttributeValues(Map.of(":p", s(BookingsTable.duePartition(day)), ":upTo", s(BookingsTable.dueUpTo(now))))
                    .build();
            table.queryAll(q).forEach(i -> due.add(booking(i)));
        }
        return due;
    }

    /** Set once, by the sweep, when the booking's reminder is published; never removed. */
    static final String REMINDED_AT = "remindedAt";

    /**
     * The sweep's index holds a confirmed booking under its sweep time, start + the no-show
     * grace: a Query on it from {@code now + grace} to {@code now + lead + grace}, a UTC day per
     * partition, finds the starts in (now, now + lead]. Pending and checked-in bookings in that
     * range and those already reminded are filtered out (read, not returned): a second sparse
     * index only for reminders would be one more attribute to keep right on every transition.
     */
    @Override
    public List<Booking> dueForReminder(Instant now, java.time.Duration lead) {
        Instant from = now.plus(Booking.NO_SHOW_GRACE);
        Instant to = now.plus(lead).plus(Booking.NO_SHOW_GRACE);
        List<Booking> due = new ArrayList<>();
        LocalDate last = to.atZone(ZoneOffset.UTC).toLocalDate();
        for (LocalDate day = from.atZone(ZoneOffset.UTC).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            QueryRequest q = table.queryRequest().indexName(DUE_INDEX)
                    .keyConditionExpression(DUE_PK + " = :p AND " + DUE_SK + " BETWEEN :from AND :to")
                    .filterExpression("#status = :confirmed AND attribute_not_exists(" + REMINDED_AT + ")")
                    .expressionAttributeNames(Map.of("#status", STATUS))
                    .expressionAttributeValues(Map.of(":p", s(BookingsTable.duePartition(day)),
                            ":from", s(BookingsTable.dueSort(from, "")), ":to", s(BookingsTable.dueUpTo(to)),
                            ":confirmed", s(BookingStatus.CONFIRMED.name())))
                    .build();
            table.queryAll(q).forEach(i -> due.add(booking(i)));
        }
        return due;
    }

    /** One conditional update: still confirmed, not reminded yet. */
    @Override
    public boolean markReminded(Booking b, Instant at) {
        return org.territoire.shared.ddb.DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name())
                .key(BookingsTable.bookingKey(b.id()))
                .updateExpression("SET " + REMINDED_AT + " = :at")
                .conditionExpression("#status = :confirmed AND attribute_not_exists(" + REMINDED_AT + ")")
                .expressionAttributeNames(Map.of("#status", STATUS))
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":confirmed", s(BookingStatus.CONFIRMED.name())))));
    }

    // ------------------------------------------------------------------ reading

    @Override
    public Optional<Booking> findBooking(String id) {
        return table.get(BookingsTable.bookingKey(id)).map(DynamoBookings::booking);
    }

    @Override
    public Page<Booking> ofUser(String userId, int limit, Optional<String> pageToken) {
        return page(GSI1, GSI1PK, BookingsTable.userBookingsPk(userId), "bookings?user=" + userId, limit, pageToken);
    }

    @Override
    public Page<Booking> ofResource(String resourceId, int limit, Optional<String> pageToken) {
        return page(GSI2, GSI2PK, BookingsTable.resourceBookingsPk(resourceId), "bookings?resource=" + resourceId,
                limit, pageToken);
    }

    /**
     * GSI2 sorts a resource's bookings by {@code start#id}, start as an ISO instant. Starts are
     * on slot boundaries (whole minutes), so the bounds are written to the second: text order
     * is then time order ("10:00:00.5Z" would sort after "10:00:00Z#...").
     */
    @Override
    public List<Booking> ofResourceStartingBetween(String resourceId, Instant from, Instant to) {
        QueryRequest q = table.queryRequest().indexName(GSI2).scanIndexForward(false)
                .keyConditionExpression(GSI2PK + " = :p AND " + GSI2SK + " BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(BookingsTable.resourceBookingsPk(resourceId)),
                        ":from", s(from.truncatedTo(ChronoUnit.SECONDS).toString()),
                        ":to", s(to.truncatedTo(ChronoUnit.SECONDS) + "#~")))
                .build();
        return table.queryAll(q).stream().map(DynamoBookings::booking).toList();
    }

    private Page<Booking> page(String index, String attribute, String partition, String scope, int limit,
                               Optional<String> pageToken) {
        QueryRequest.Builder q = table.queryRequest().indexName(index).limit(limit)
                .scanIndexForward(false).keyConditionExpression(attribute + " = :p")
                .expressionAttributeValues(Map.of(":p", s(partition)));
        tokens.decode(scope, pageToken).ifPresent(q::exclusiveStartKey);
        QueryResponse page = table.query(q.build());
        return new Page<>(page.items().stream().map(DynamoBookings::booking).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    /** Consistent reads: a refusal's "next free starts" must not be computed from counters a moment old. */
    @Override
    public Map<Instant, Integer> usage(String resourceId, Instant from, Instant to) {
        Map<Instant, Integer> usage = new LinkedHashMap<>();
        QueryRequest q = table.queryRequest().consistentRead(true)
                .keyConditionExpression(PK + " = :pk AND " + SK + " BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(BookingsTable.resourcePk(resourceId)),
                        ":from", s(BookingsTable.slotSk(from)), ":to", s(BookingsTable.slotSk(to.minusSeconds(1)))))
                .build();
        table.queryAll(q).forEach(i -> {
            int booked = Integer.parseInt(i.get("booked").n());
            if (booked > 0) {
                usage.put(BookingsTable.slotOf(i.get(SK).s()), booked);
            }
        });
        return usage;
    }

    @Override
    public Map<Integer, Instant> heldTokens(String userId, ResourceKind kind) {
        QueryResponse page = table.query(table.queryRequest().consistentRead(true)
                .keyConditionExpression(PK + " = :pk AND begins_with(" + SK + ", :t)")
                .expressionAttributeValues(Map.of(":pk", s(BookingsTable.quotaPk(userId, kind)), ":t", s(TOKEN_PREFIX))).build());
        Map<Integer, Instant> held = new HashMap<>();
        page.items().forEach(i -> held.put(Integer.parseInt(i.get(SK).s().substring(TOKEN_PREFIX.length())),
                Instant.ofEpochSecond(Long.parseLong(i.get("endsAt").n()))));
        return held;
    }

    // ------------------------------------------------------------------ mapping

    private static Map<String, AttributeValue> item(Booking b) {
        Map<String, AttributeValue> item = new HashMap<>(BookingsTable.bookingKey(b.id()));
        String sort = b.start() + "#" + b.id();
        item.put(TYPE, s("BOOKING"));
        item.put(GSI1PK, s(BookingsTable.userBookingsPk(b.userId())));
        item.put(GSI1SK, s(sort));
        item.put(GSI2PK, s(BookingsTable.resourceBookingsPk(b.resourceId())));
        item.put(GSI2SK, s(sort));
        item.put("id", s(b.id()));
        item.put("resourceId", s(b.resourceId()));
        item.put("kind", s(b.kind().name()));
        item.put("userId", s(b.userId()));
        item.put("start", s(b.start().toString()));
        item.put("end", s(b.end().toString()));
        item.put("units", n(b.units()));
        item.put(STATUS, s(b.status().name()));
        item.put("createdAt", s(b.createdAt().toString()));
        if (b.quotaToken() != null && !b.quotaToken().isBlank()) {
            item.put("quotaToken", s(b.quotaToken()));
        }
        if (b.hold() != null) {
            item.put("hold", holdItem(b.hold()));
        }
        b.sweepAt().ifPresent(due -> {
            item.put(DUE_PK, s(BookingsTable.duePartition(due)));
            item.put(DUE_SK, s(BookingsTable.dueSort(due, b.id())));
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

    static Booking booking(Map<String, AttributeValue> i) {
        return new Booking(i.get("id").s(), i.get("resourceId").s(), ResourceKind.valueOf(i.get("kind").s()),
                i.get("userId").s(), Instant.parse(i.get("start").s()), Instant.parse(i.get("end").s()),
                Integer.parseInt(i.get("units").n()), BookingStatus.valueOf(i.get(STATUS).s()),
                Instant.parse(i.get("createdAt").s()), str(i, "cancelledBy"), str(i, "cancelReason"), str(i, "quotaToken"),
                hold(i.get("hold")), i.containsKey(REVISION) ? Integer.parseInt(i.get(REVISION).n()) : 0,
                Instant.parse(i.containsKey("updatedAt") ? i.get("updatedAt").s() : i.get("createdAt").s()));
    }
}
