package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The telemetry table's layout, the one place that knows its keys and indexes; the
 * repositories of devices, readings (with rollups) and alerts are written over it:
 * <pre>
 *   DEVICE#id   META                  the device (GSI1: DEVICES#district#kind; GSI2: OWNER#owner;
 *                                     GSI3: SEEN by creation time, until its first message;
 *                                     GSI4: DEVICES, by district#kind#id: the agents' list of the territory's devices)
 *   DEVICE#id   SEEN                  the device's entry in the sweep's index (GSI3: SEEN by last time
 *                                     heard from, lagging: moved by the sweep), with its attributes
 *   DEVICE#id   R#millis              a raw reading (TTL expiresAt)
 *   DEVICE#id   LATEST                the newest reading, which is also the last time heard from
 *                                     (atMs), and the sweep's offline mark; in no index
 *   DEVICE#id   H#2026-11-25T09       hourly rollup (UTC hour); days and months are derived from hours
 *   DEVICE#id   D#, M#                daily and monthly rollups written before December 2026 (no longer read)
 *   DEVICE#id   ACTIVE#rule           the active alert of a rule
 *   DEVICE#id   ALERT#rule#millis     an alert, raised and maybe cleared (GSI2: ALERTS#OWNER#owner or ALERTS#PUBLIC)
 *   DISTRICT#district#KIND  H#2026-11-25T09   a district's devices of a kind over an hour, made by the sweep
 *   DISTRICTS   MARK#H#hour#district#KIND     a district hour a late reading reached after the sweep computed it
 *   DISTRICTS   SWEPT                 the last hour the sweep computed for every district
 * </pre>
 * A reading's key is its device and time, so a duplicate delivery writes nothing new.
 */
public final class TelemetryTable {
    static final String DEVICES_BY_DISTRICT = "GSI1";
    static final String BY_OWNER = "GSI2";
    static final String BY_LAST_SEEN = "GSI3";
    static final String TERRITORY_INDEX = "GSI4";
    /** The partition of the territory index: every device, in one sorted list. */
    static final String TERRITORY = "DEVICES";
    static final String META = "META";
    static final String LATEST = "LATEST";

    private final DynamoDbClient dynamo;
    private final String name;
    private final PageTokens tokens;

    public TelemetryTable(DynamoDbClient dynamo, String name, PageTokens tokens) {
        this.dynamo = dynamo;
        this.name = name;
        this.tokens = tokens;
    }

    DynamoDbClient dynamo() {
        return dynamo;
    }

    String name() {
        return name;
    }

    PageTokens tokens() {
        return tokens;
    }

    static String partition(String deviceId) {
        return "DEVICE#" + deviceId;
    }

    static Map<String, AttributeValue> key(String deviceId, String sk) {
        return Map.of("pk", s(partition(deviceId)), "sk", s(sk));
    }

    static String readingKey(Instant at) {
        return String.format("R#%015d", at.toEpochMilli());
    }

    /** The first and (after every reading key) last sort keys of readings. */
    static final String FIRST_READING = "R#";
    static final String AFTER_READINGS = "R#~";

    static String activeKey(Enum<?> rule) {
        return "ACTIVE#" + rule;
    }

    static String alertKey(Enum<?> rule, Instant raisedAt) {
        return "ALERT#" + rule + "#" + String.format("%015d", raisedAt.toEpochMilli());
    }

    static String districtKind(String district, Enum<?> kind) {
        return "DEVICES#" + district + "#" + kind;
    }

    /** A device's sort key in the territory index: by district, then kind, then id, so that a district (and a kind in it) is a prefix. */
    static String territoryKey(String district, Enum<?> kind, String deviceId) {
        return district + "#" + kind + "#" + deviceId;
    }

    static String district(String district, Enum<?> kind) {
        return "DISTRICT#" + district + "#" + kind;
    }

    static final String DISTRICTS = "DISTRICTS";
    static final String MARK = "MARK#";
    static final String SWEPT = "SWEPT";

    static String markKey(Instant hour, String district, Enum<?> kind) {
        return MARK + org.territoire.telemetry.rollup.Rollups.hourKey(hour) + "#" + district + "#" + kind;
    }

    static String owner(String ownerId) {
        return "OWNER#" + ownerId;
    }

    static String alertsOf(String ownerId) {
        return ownerId == null ? "ALERTS#PUBLIC" : "ALERTS#OWNER#" + ownerId;
    }

    static final String SEEN = "SEEN";
    /** Marks a LATEST item written by this layout (one that also carries the last time heard from). */
    static final int LATEST_LAYOUT = 2;
    /** The sweep's offline mark on LATEST: the key of the active offline alert. */
    static final String OFFLINE_MARK = "offline";

    static String seenKey(Instant at, String deviceId) {
        return String.format("%015d#%s", at.toEpochMilli(), deviceId);
    }

    Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return DynamoCalls.get(dynamo, name, key);
    }

    QueryRequest.Builder query() {
        return QueryRequest.builder().tableName(name);
    }

    Optional<Map<String, AttributeValue>> first(QueryRequest.Builder q) {
        return DynamoCalls.query(dynamo, q.build()).items().stream().findFirst();
    }

    List<Map<String, AttributeValue>> queryAll(QueryRequest.Builder q) {
        return DynamoCalls.queryAll(dynamo, q.build());
    }
}
