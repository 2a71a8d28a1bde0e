package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertRepository;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.rollup.Rollup;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The telemetry table:
 * <pre>
 *   DEVICE#id   META                  the device (GSI1: DEVICES#district#kind; GSI2: OWNER#owner;
 *                                     GSI3: SEEN by last time heard from)
 *   DEVICE#id   R#millis              a raw reading (TTL expiresAt)
 *   DEVICE#id   LATEST                the newest reading
 *   DEVICE#id   H#2026-11-25T09       hourly rollup (UTC hour)
 *   DEVICE#id   D#2026-11-25          daily rollup (Paris day)
 *   DEVICE#id   M#2026-11             monthly rollup (Paris month)
 *   DEVICE#id   ACTIVE#rule           the active alert of a rule
 *   DEVICE#id   ALERT#rule#millis     an alert, raised and maybe cleared (GSI2: ALERTS#OWNER#owner or ALERTS#PUBLIC)
 * </pre>
 * A reading's key is its device and time, so a duplicate delivery writes nothing new.
 */
public final class DynamoTelemetryStore implements DeviceRepository, ReadingRepository, AlertRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoTelemetryStore(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    // ---------------------------------------------------------------- devices

    @Override
    public boolean create(Device d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.id(), "META"));
        item.put("id", s(d.id()));
        item.put("kind", s(d.kind().name()));
        item.put("district", s(d.district()));
        if (d.latitude() != null) {
            item.put("latitude", n(d.latitude()));
            item.put("longitude", n(d.longitude()));
        }
        putIfPresent(item, "ownerId", d.ownerId());
        putIfPresent(item, "resourceId", d.resourceId());
        putIfPresent(item, "name", d.name());
        item.put("createdAt", s(d.createdAt().toString()));
        item.put("createdBy", s(d.createdBy()));
        item.put("gsi1pk", s("DEVICES#" + d.district() + "#" + d.kind()));
        item.put("gsi1sk", s(d.id()));
        if (d.ownerId() != null) {
            item.put("gsi2pk", s("OWNER#" + d.ownerId()));
        }
        item.put("gsi3pk", s("SEEN"));
        item.put("gsi3sk", s(String.format("%015d#%s", d.createdAt().toEpochMilli(), d.id())));
        item.put("lastSeenMs", n(d.createdAt().toEpochMilli()));
        return DynamoCalls.putNew(dynamo, table, item);
    }

    @Override
    public Optional<Device> find(String id) {
        return get(key(id, "META")).map(DynamoTelemetryStore::device);
    }

    @Override
    public void delete(String id) {
        try {
            dynamo.deleteItem(d -> d.tableName(table).key(key(id, "META")));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public List<Device> ofOwner(String ownerId) {
        return queryAll(QueryRequest.builder().tableName(table).indexName("GSI2").keyConditionExpression("gsi2pk = :p")
                .expressionAttributeValues(Map.of(":p", s("OWNER#" + ownerId)))).stream().map(DynamoTelemetryStore::device).toList();
    }

    @Override
    public List<Device> inDistrict(String district, DeviceKind kind) {
        return queryAll(QueryRequest.builder().tableName(table).indexName("GSI1").keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", s("DEVICES#" + district + "#" + kind)))).stream().map(DynamoTelemetryStore::device).toList();
    }

    @Override
    public Page<Device> silentSince(Instant before, int limit, Optional<String> token) {
        String scope = "silent?before=" + before.toEpochMilli();
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("GSI3").limit(limit)
                .keyConditionExpression("gsi3pk = :p AND gsi3sk < :before")
                .expressionAttributeValues(Map.of(":p", s("SEEN"), ":before", s(String.format("%015d", before.toEpochMilli()))));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(dynamo, q.build());
        return new Page<>(page.items().stream().map(DynamoTelemetryStore::device).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    @Override
    public void heardFrom(String deviceId, Instant at) {
        DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(deviceId, "META"))
                .updateExpression("SET lastSeenMs = :ms, gsi3sk = :sk")
                .conditionExpression("attribute_exists(pk) AND lastSeenMs < :ms")
                .expressionAttributeValues(Map.of(":ms", n(at.toEpochMilli()),
                        ":sk", s(String.format("%015d#%s", at.toEpochMilli(), deviceId))))));
    }

    // ---------------------------------------------------------------- readings

    @Override
    public boolean put(Reading r, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.deviceId(), readingKey(r.at())));
        item.put("at", s(r.at().toString()));
        item.put("values", values(r.values()));
        item.put("expiresAt", n(expiresAt.getEpochSecond()));
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
    }

    @Override
    public List<Reading> between(String deviceId, Instant from, Instant to) {
        return queryAll(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(readingKey(from)),
                        ":to", s(readingKey(to.minusMillis(1))))))
                .stream().map(i -> reading(deviceId, i)).toList();
    }

    @Override
    public Page<Reading> page(String deviceId, Instant from, Instant to, int limit, Optional<String> token) {
        String scope = "readings?device=" + deviceId + "&from=" + from.toEpochMilli() + "&to=" + to.toEpochMilli();
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(readingKey(from)),
                        ":to", s(readingKey(to.minusMillis(1)))));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(dynamo, q.build());
        return new Page<>(page.items().stream().map(i -> reading(deviceId, i)).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    @Override
    public Page<Map<String, Object>> export(List<String> deviceIds, int limit, Optional<String> token) {
        String scope = "export?devices=" + String.join(",", deviceIds);
        Map<String, AttributeValue> start = tokens.decode(scope, token).map(HashMap::new).orElseGet(HashMap::new);
        int device = start.containsKey("device") ? Integer.parseInt(start.remove("device").n()) : 0;
        List<Map<String, Object>> records = new ArrayList<>();
        while (device < deviceIds.size() && records.size() < limit) {
            String id = deviceIds.get(device);
            QueryResponse page = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                    .limit(limit - records.size()).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", s(partition(id)))).exclusiveStartKey(start.isEmpty() ? null : start).build());
            page.items().forEach(i -> record(id, i).ifPresent(records::add));
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                start = new HashMap<>(page.lastEvaluatedKey());
            } else {
                start = new HashMap<>();
                device++;
            }
        }
        if (device >= deviceIds.size()) {
            return new Page<>(records, null);
        }
        start.put("device", n(device));
        return new Page<>(records, tokens.encode(scope, start));
    }

    /** An item as an export record: readings, rollups and alerts; the rest is bookkeeping. */
    private static Optional<Map<String, Object>> record(String deviceId, Map<String, AttributeValue> i) {
        String sk = i.get("sk").s();
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("deviceId", deviceId);
        if (sk.startsWith("R#")) {
            Reading reading = reading(deviceId, i);
            r.put("type", "reading");
            r.put("at", reading.at().toString());
            r.put("values", reading.values());
        } else if (sk.startsWith("H#") || sk.startsWith("D#") || sk.startsWith("M#")) {
            r.put("type", switch (sk.charAt(0)) {
                case 'H' -> "hour";
                case 'D' -> "day";
                default -> "month";
            });
            r.put("rollup", rollup(i));
        } else if (sk.startsWith("ALERT#")) {
            r.put("type", "alert");
            r.put("alert", alert(i));
        } else {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    @Override
    public Optional<Reading> before(String deviceId, Instant at) {
        return first(QueryRequest.builder().tableName(table).consistentRead(true).scanIndexForward(false).limit(1)
                .keyConditionExpression("pk = :p AND sk BETWEEN :r AND :at")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":r", s("R#"), ":at", s(readingKey(at.minusMillis(1))))))
                .map(i -> reading(deviceId, i));
    }

    @Override
    public Optional<Reading> atOrAfter(String deviceId, Instant at) {
        return first(QueryRequest.builder().tableName(table).consistentRead(true).limit(1)
                .keyConditionExpression("pk = :p AND sk BETWEEN :at AND :end")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":at", s(readingKey(at)), ":end", s("R#~"))))
                .map(i -> reading(deviceId, i));
    }

    @Override
    public LatestUpdate putLatest(Reading r) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.deviceId(), "LATEST"));
        item.put("at", s(r.at().toString()));
        item.put("atMs", n(r.at().toEpochMilli()));
        item.put("values", values(r.values()));
        try {
            Map<String, AttributeValue> old = dynamo.putItem(p -> p.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD)
                    .conditionExpression("attribute_not_exists(pk) OR atMs < :ms")
                    .expressionAttributeValues(Map.of(":ms", n(r.at().toEpochMilli())))).attributes();
            return new LatestUpdate(true, old == null || old.isEmpty() ? Optional.empty() : Optional.of(reading(r.deviceId(), old)));
        } catch (ConditionalCheckFailedException e) {
            return new LatestUpdate(false, Optional.empty());
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public Optional<Reading> latest(String deviceId) {
        return get(key(deviceId, "LATEST")).map(i -> reading(deviceId, i));
    }

    @Override
    public void putRollup(String deviceId, Rollup r) {
        Map<String, AttributeValue> item = new HashMap<>(key(deviceId, r.key()));
        item.put("start", s(r.start().toString()));
        item.put("end", s(r.end().toString()));
        item.put("readings", n(r.readings()));
        item.put("basis", n(r.basis()));
        Map<String, AttributeValue> metrics = new HashMap<>();
        r.metrics().forEach((field, st) -> metrics.put(field, AttributeValue.fromM(Map.of("count", n(st.count()), "sum", n(st.sum()),
                "min", n(st.min()), "max", n(st.max())))));
        item.put("metrics", AttributeValue.fromM(metrics));
        if (r.consumption() != null) {
            item.put("consumption", n(r.consumption()));
        }
        // A computation that saw fewer readings (an earlier snapshot) never overwrites one that saw more.
        DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk) OR basis <= :b").expressionAttributeValues(Map.of(":b", n(r.basis())))));
    }

    @Override
    public List<Rollup> rollups(String deviceId, String fromKey, String toKey) {
        return queryAll(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(fromKey), ":to", s(toKey))))
                .stream().map(DynamoTelemetryStore::rollup).toList();
    }

    @Override
    public int erase(String deviceId) {
        List<Map<String, AttributeValue>> items = queryAll(QueryRequest.builder().tableName(table).consistentRead(true)
                .projectionExpression("pk, sk").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)))));
        List<WriteRequest> deletes = items.stream().filter(i -> !"META".equals(i.get("sk").s()))
                .map(i -> WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))).build()).toList();
        for (int from = 0; from < deletes.size(); from += 25) {
            List<WriteRequest> batch = deletes.subList(from, Math.min(deletes.size(), from + 25));
            Map<String, List<WriteRequest>> pending = Map.of(table, batch);
            try {
                for (int attempt = 0; !pending.isEmpty() && attempt < 8; attempt++) {
                    Map<String, List<WriteRequest>> request = pending;
                    pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
            if (!pending.isEmpty()) {
                throw StorageException.busy("erasure of " + deviceId + " left items; retry", null);
            }
        }
        return deletes.size();
    }

    // ---------------------------------------------------------------- alerts

    @Override
    public boolean raise(Alert a) {
        String alertKey = "ALERT#" + a.rule() + "#" + String.format("%015d", a.raisedAt().toEpochMilli());
        Map<String, AttributeValue> active = new HashMap<>(key(a.deviceId(), "ACTIVE#" + a.rule()));
        active.put("alertKey", s(alertKey));
        Map<String, AttributeValue> item = new HashMap<>(key(a.deviceId(), alertKey));
        item.put("deviceId", s(a.deviceId()));
        item.put("rule", s(a.rule().name()));
        item.put("district", s(a.district()));
        putIfPresent(item, "ownerId", a.ownerId());
        item.put("raisedAt", s(a.raisedAt().toString()));
        putIfPresent(item, "detail", a.detail());
        item.put("gsi2pk", s(a.ownerId() == null ? "ALERTS#PUBLIC" : "ALERTS#OWNER#" + a.ownerId()));
        item.put("gsi1sk", s(String.format("%015d#%s#%s", a.raisedAt().toEpochMilli(), a.deviceId(), a.rule())));
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(active).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build()));
    }

    @Override
    public boolean clear(String deviceId, Alert.Rule rule, Instant at) {
        Optional<Map<String, AttributeValue>> active = get(key(deviceId, "ACTIVE#" + rule));
        if (active.isEmpty()) {
            return false;
        }
        String alertKey = active.get().get("alertKey").s();
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(deviceId, "ACTIVE#" + rule))
                        .conditionExpression("alertKey = :k").expressionAttributeValues(Map.of(":k", s(alertKey)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(deviceId, alertKey))
                        .updateExpression("SET clearedAt = :at").expressionAttributeValues(Map.of(":at", s(at.toString())))).build()));
    }

    @Override
    public Optional<Alert> active(String deviceId, Alert.Rule rule) {
        return get(key(deviceId, "ACTIVE#" + rule)).flatMap(a -> get(key(deviceId, a.get("alertKey").s()))).map(DynamoTelemetryStore::alert);
    }

    @Override
    public List<Alert> visibleTo(String ownerId, int limit) {
        return DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName("GSI2").scanIndexForward(false).limit(limit)
                        .keyConditionExpression("gsi2pk = :p")
                        .expressionAttributeValues(Map.of(":p", s(ownerId == null ? "ALERTS#PUBLIC" : "ALERTS#OWNER#" + ownerId))).build())
                .items().stream().map(DynamoTelemetryStore::alert).toList();
    }

    // ---------------------------------------------------------------- helpers

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return DynamoCalls.get(dynamo, table, key);
    }

    private Optional<Map<String, AttributeValue>> first(QueryRequest.Builder q) {
        return DynamoCalls.query(dynamo, q.build()).items().stream().findFirst();
    }

    private List<Map<String, AttributeValue>> queryAll(QueryRequest.Builder q) {
        return DynamoCalls.queryAll(dynamo, q.build());
    }

    private static AttributeValue values(Map<String, Double> values) {
        Map<String, AttributeValue> m = new HashMap<>();
        values.forEach((k, v) -> m.put(k, n(v)));
        return AttributeValue.fromM(m);
    }

    private static Reading reading(String deviceId, Map<String, AttributeValue> i) {
        Map<String, Double> values = new HashMap<>();
        i.get("values").m().forEach((k, v) -> values.put(k, Double.valueOf(v.n())));
        return new Reading(deviceId, Instant.parse(i.get("at").s()), values);
    }

    private static Rollup rollup(Map<String, AttributeValue> i) {
        Map<String, Rollup.Stats> metrics = new HashMap<>();
        i.get("metrics").m().forEach((field, v) -> {
            Map<String, AttributeValue> st = v.m();
            metrics.put(field, new Rollup.Stats(Long.parseLong(st.get("count").n()), Double.parseDouble(st.get("sum").n()),
                    Double.parseDouble(st.get("min").n()), Double.parseDouble(st.get("max").n())));
        });
        return new Rollup(i.get("sk").s(), Instant.parse(i.get("start").s()), Instant.parse(i.get("end").s()),
                Long.parseLong(i.get("readings").n()), Long.parseLong(i.get("basis").n()), metrics,
                i.containsKey("consumption") ? Double.valueOf(i.get("consumption").n()) : null);
    }

    private static Device device(Map<String, AttributeValue> i) {
        return new Device(i.get("id").s(), DeviceKind.valueOf(i.get("kind").s()), i.get("district").s(),
                i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null, str(i, "ownerId"), str(i, "resourceId"),
                str(i, "name"), Instant.parse(i.get("createdAt").s()), i.get("createdBy").s());
    }

    private static Alert alert(Map<String, AttributeValue> i) {
        return new Alert(i.get("deviceId").s(), Alert.Rule.valueOf(i.get("rule").s()), i.get("district").s(), str(i, "ownerId"),
                Instant.parse(i.get("raisedAt").s()), i.containsKey("clearedAt") ? Instant.parse(i.get("clearedAt").s()) : null,
                str(i, "detail"));
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static String readingKey(Instant at) {
        return String.format("R#%015d", at.toEpochMilli());
    }

    private static String partition(String deviceId) {
        return "DEVICE#" + deviceId;
    }

    private static Map<String, AttributeValue> key(String deviceId, String sk) {
        return Map.of("pk", s(partition(deviceId)), "sk", s(sk));
    }
}
