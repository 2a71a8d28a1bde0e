package org.territoire.bookings.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The layout of the bookings table, the one place that knows it; each adapter of this package
 * reads and writes its own items through it. Items:
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
 * The idempotency records of the bookings function share the table (their own key prefix).
 * The low-level client is used because most writes here are update expressions (ADD to a
 * counter) under a condition, inside a transaction.
 */
public final class BookingsTable {
    public static final String PK = "pk";
    public static final String SK = "sk";

    /** All resources by name ({@code gsi1pk = RESOURCES}); a person's bookings by start ({@code USER#id}). */
    public static final String GSI1 = "GSI1";
    public static final String GSI1PK = "gsi1pk";
    public static final String GSI1SK = "gsi1sk";
    /** Resources of a kind by name ({@code RESOURCES#KIND}); a resource's bookings by start ({@code RESOURCE#id#BOOKINGS}). */
    public static final String GSI2 = "GSI2";
    public static final String GSI2PK = "gsi2pk";
    public static final String GSI2SK = "gsi2sk";
    /**
     * The sweep's index, sparse: only an open booking has {@code gsi3pk = DUE#utc-date} of its
     * sweep time and {@code gsi3sk} = fixed-width epoch seconds # id; settling it removes both.
     */
    public static final String DUE_INDEX = "GSI3";
    public static final String DUE_PK = "gsi3pk";
    public static final String DUE_SK = "gsi3sk";

    /** Attribute names shared by several item types. */
    public static final String TYPE = "type";
    public static final String STATUS = "status";
    /** A booking's count of status changes, the iCalendar SEQUENCE of its event. */
    public static final String REVISION = "revision";
    public static final String VERSION = "version";
    public static final String EXPIRES_AT = "expiresAt";

    /** Slot and week counters, and quota tokens, are kept this long after the time they count (TTL). */
    public static final Duration COUNTER_RETENTION = Duration.ofDays(400);

    private final DynamoDbClient dynamo;
    private final String name;

    public BookingsTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ key shapes

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    public static String resourcePk(String resourceId) {
        return "RESOURCE#" + resourceId;
    }

    public static Map<String, AttributeValue> resourceKey(String resourceId) {
        return key(resourcePk(resourceId), "RESOURCE");
    }

    public static String slotSk(Instant slot) {
        return String.format("SLOT#%012d", slot.getEpochSecond());
    }

    public static Instant slotOf(String sk) {
        return Instant.ofEpochSecond(Long.parseLong(sk.substring("SLOT#".length())));
    }

    public static Map<String, AttributeValue> slotKey(String resourceId, Instant slot) {
        return key(resourcePk(resourceId), slotSk(slot));
    }

    public static Map<String, AttributeValue> occupancyKey(String resourceId) {
        return key(resourcePk(resourceId), "OCCUPANCY");
    }

    public static Map<String, AttributeValue> bookingKey(String bookingId) {
        return key("BOOKING#" + bookingId, "BOOKING");
    }

    public static String userBookingsPk(String userId) {
        return "USER#" + userId;
    }

    public static String resourceBookingsPk(String resourceId) {
        return "RESOURCE#" + resourceId + "#BOOKINGS";
    }

    public static String resourcesPk(Optional<ResourceKind> kind) {
        return kind.map(k -> "RESOURCES#" + k).orElse("RESOURCES");
    }

    public static String quotaPk(String userId, ResourceKind kind) {
        return "QUOTA#" + userId + "#" + kind;
    }

    public static final String TOKEN_PREFIX = "TOKEN#";

    public static Map<String, AttributeValue> tokenKey(String userId, ResourceKind kind, String token) {
        return key(quotaPk(userId, kind), TOKEN_PREFIX + token);
    }

    public static Map<String, AttributeValue> weekKey(String userId, ResourceKind kind, LocalDate monday) {
        return key(quotaPk(userId, kind), "WEEK#" + monday);
    }

    public static Map<String, AttributeValue> quotaRuleKey(ResourceKind kind) {
        return key("QUOTARULE#" + kind, "RULE");
    }

    public static Map<String, AttributeValue> feedOfUserKey(String userId) {
        return key("USER#" + userId, "CALFEED");
    }

    public static Map<String, AttributeValue> feedKey(String secretHash) {
        return key("CALFEED#" + secretHash, "FEED");
    }

    /** The sweep index's partition of a due time: its UTC date. */
    public static String duePartition(LocalDate utcDay) {
        return "DUE#" + utcDay;
    }

    public static String duePartition(Instant due) {
        return duePartition(due.atZone(ZoneOffset.UTC).toLocalDate());
    }

    /** Fixed-width epoch seconds: ISO instants do not sort as text ("10:00:00.5Z" before "10:00:00Z"). */
    public static String dueSort(Instant due, String id) {
        return String.format("%012d#%s", due.getEpochSecond(), id);
    }

    /** The upper bound of the due sort keys at {@code now} (every id sorts before "~"). */
    public static String dueUpTo(Instant now) {
        return String.format("%012d#~", now.getEpochSecond());
    }

    // ------------------------------------------------------------------ calls, through the kernel's policies

    public Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return DynamoCalls.get(dynamo, name, key);
    }

    public QueryResponse query(QueryRequest request) {
        return DynamoCalls.query(dynamo, request);
    }

    public List<Map<String, AttributeValue>> queryAll(QueryRequest request) {
        return DynamoCalls.queryAll(dynamo, request);
    }

    /** All or nothing; the indexes of the items whose conditions failed (the kernel's one reading of the cancellation reasons). */
    public List<Integer> transact(List<TransactWriteItem> items) {
        return DynamoCalls.failedConditions(dynamo, items);
    }

    /** A query request on this table. */
    public QueryRequest.Builder queryRequest() {
        return QueryRequest.builder().tableName(name);
    }
}
