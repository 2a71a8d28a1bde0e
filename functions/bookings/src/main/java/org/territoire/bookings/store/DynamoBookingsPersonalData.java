package org.territoire.bookings.store;

import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.QuotaRule;
import org.territoire.bookings.booking.QuotaRules;
import org.territoire.bookings.booking.Release;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the bookings capability holds about a person, and its erasure at the account's deletion:
 * <ol>
 *   <li>the account's tombstone is written first, so that a booking (or a calendar feed) still
 *       being made with the person's token fails in its own transaction (see {@link Erasures});</li>
 *   <li>every booking still pending or confirmed that has not ended is cancelled with the very
 *       transaction of a normal cancellation ({@link BookingRepository#cancel}): its slot units,
 *       week minutes and quota token are given back exactly once, whoever else settles it at the
 *       same time;</li>
 *   <li>every booking of theirs, past or cancelled, is anonymised: it stays (the resource's history
 *       and its operator's statistics) under {@value Erasures#FORMER_RESIDENT}, out of the index by
 *       person;</li>
 *   <li>their quota tokens and week minutes, their calendar feed (the secret's hash: the link stops
 *       working) and the replay records of their requests are deleted.</li>
 * </ol>
 * A redelivered event finds nothing naming the account and changes nothing.
 */
public final class DynamoBookingsPersonalData implements PersonalData {
    private static final String FORMER = Erasures.FORMER_RESIDENT;
    private final BookingsTable table;
    private final BookingRepository bookings;
    private final ResourceRepository resources;
    private final QuotaRules quotas;
    private final Clock clock;

    public DynamoBookingsPersonalData(BookingsTable table, BookingRepository bookings, ResourceRepository resources, QuotaRules quotas,
                                      Clock clock) {
        this.table = table;
        this.bookings = bookings;
        this.resources = resources;
        this.quotas = quotas;
        this.clock = clock;
    }

    @Override
    public String capability() {
        return "bookings";
    }

    private List<Map<String, AttributeValue>> items(String accountId) {
        return Erasures.scanAll(table.dynamo(), table.name(),
                "userId = :a OR cancelledBy = :a OR createdBy = :a OR begins_with(pk, :quota) OR pk = :user OR contains(responseBody, :a)",
                Map.of(), Map.of(":a", s(accountId), ":quota", s("QUOTA#" + accountId + "#"), ":user", s("USER#" + accountId)));
    }

    private static boolean isBooking(Map<String, AttributeValue> i) {
        return "BOOKING".equals(i.get("sk").s()) && i.get("pk").s().startsWith("BOOKING#");
    }

    @Override
    public Map<String, Object> export(String accountId) {
        List<Map<String, Object>> mine = new ArrayList<>();
        List<Map<String, Object>> weeks = new ArrayList<>();
        boolean feed = false;
        for (Map<String, AttributeValue> i : items(accountId)) {
            if (isBooking(i) && accountId.equals(str(i, "userId"))) {
                Booking b = DynamoBookings.booking(i);
                Map<String, Object> booking = new LinkedHashMap<>();
                booking.put("id", b.id());
                booking.put("resourceId", b.resourceId());
                booking.put("kind", b.kind().name());
                booking.put("start", b.start().toString());
                booking.put("end", b.end().toString());
                booking.put("units", b.units());
                booking.put("status", b.status().name());
                booking.put("createdAt", b.createdAt().toString());
                booking.put("cancelReason", b.cancelReason());
                mine.add(booking);
            } else if (i.get("pk").s().startsWith("QUOTA#") && i.get("sk").s().startsWith("WEEK#") && i.containsKey("minutes")) {
                weeks.add(Map.of("quota", i.get("pk").s().substring(i.get("pk").s().lastIndexOf('#') + 1),
                        "week", i.get("sk").s().substring("WEEK#".length()), "minutes", Integer.parseInt(i.get("minutes").n())));
            } else if (i.get("sk").s().equals("CALFEED")) {
                feed = true;
            }
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("readme", "bookings: your bookings of pooled spaces and means, past and future; weeklyMinutes: the minutes you booked "
                + "each ISO week, per kind with a weekly limit; calendarFeed: whether you have a live calendar link (its secret is "
                + "stored only as a hash, so it cannot be exported).");
        export.put("bookings", mine);
        export.put("weeklyMinutes", weeks);
        export.put("calendarFeed", feed);
        return export;
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        Instant now = clock.instant();
        Erasures.tombstone(table.dynamo(), table.name(), accountId, now);
        Map<String, Integer> done = new TreeMap<>();
        List<Map<String, AttributeValue>> items = items(accountId);
        // 1. Future and under-way bookings give their capacity back, as a cancellation does, before anything they name goes.
        for (Map<String, AttributeValue> i : items) {
            if (isBooking(i) && accountId.equals(str(i, "userId"))) {
                Booking b = DynamoBookings.booking(i);
                if (b.status().cancellable() && now.isBefore(b.end()) && cancel(b, now)) {
                    done.merge("cancelled", 1, Integer::sum);
                }
            }
        }
        // 2. Every booking of theirs stays, under no one's name.
        for (Map<String, AttributeValue> i : items) {
            if (isBooking(i) && (accountId.equals(str(i, "userId")) || accountId.equals(str(i, "cancelledBy")))) {
                if (anonymise(i, accountId)) {
                    done.merge("anonymised", 1, Integer::sum);
                }
            } else if (Erasures.replayRecord(i) || i.get("pk").s().startsWith("QUOTA#" + accountId + "#")
                    || i.get("pk").s().equals("USER#" + accountId) || (i.get("pk").s().startsWith("CALFEED#") && accountId.equals(str(i, "userId")))) {
                // 3. Quota counters, the calendar feed (both its items), replay records.
                Erasures.delete(table.dynamo(), table.name(), i);
                done.merge(i.get("pk").s().startsWith("CALFEED#") ? "calendarFeeds" : Erasures.replayRecord(i) ? "replayRecords" : "quotaItems",
                        1, Integer::sum);
            } else if (accountId.equals(str(i, "createdBy"))) {
                DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name())
                        .key(Map.of("pk", i.get("pk"), "sk", i.get("sk"))).updateExpression("SET createdBy = :former")
                        .conditionExpression("createdBy = :a").expressionAttributeValues(Map.of(":former", s(FORMER), ":a", s(accountId)))));
                done.merge("createdAnonymised", 1, Integer::sum);
            }
        }
        return done;
    }

    /** The release a cancellation computes (BookingService.cancel): exactly what the booking took. */
    private boolean cancel(Booking b, Instant now) {
        Resource resource = resources.find(b.resourceId()).orElseThrow(() -> new IllegalStateException("booking " + b.id() + " has no resource"));
        Release release = Release.whole(b, resource, b.hold() != null ? QuotaRule.none(b.kind())
                : quotas.find(b.kind()).orElse(QuotaRule.none(b.kind())));
        // False: settled meanwhile (cancelled, checked in, swept) by someone else, who gave back what it held.
        return bookings.cancel(b, release, FORMER, "account deleted", now);
    }

    /** The booker, and whoever cancelled, if it was them; each conditioned on still naming the account. */
    private boolean anonymise(Map<String, AttributeValue> i, String accountId) {
        Map<String, AttributeValue> key = Map.of("pk", i.get("pk"), "sk", i.get("sk"));
        Map<String, AttributeValue> values = Map.of(":former", s(FORMER), ":a", s(accountId));
        boolean booker = DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name()).key(key)
                .updateExpression("SET userId = :former REMOVE gsi1pk, gsi1sk").conditionExpression("userId = :a")
                .expressionAttributeValues(values)));
        boolean canceller = DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name()).key(key)
                .updateExpression("SET cancelledBy = :former").conditionExpression("cancelledBy = :a")
                .expressionAttributeValues(values)));
        return booker || canceller;
    }
}
