package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.telemetry.store.TelemetryTable.key;
import static org.territoire.telemetry.store.TelemetryTable.partition;
import static org.territoire.telemetry.store.TelemetryTable.readingKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;
import org.territoire.telemetry.rollup.Rollup;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Readings and what is derived from them, in each device's partition: raw readings
 * ({@code R#millis}, with their TTL), the latest value, hourly, daily and monthly rollups;
 * the export and erasure of all of it.
 */
public final class DynamoReadings implements ReadingRepository {
    private final TelemetryTable table;

    public DynamoReadings(TelemetryTable table) {
        this.table = table;
    }


    @Override
    public boolean put(Reading r, Instant expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.deviceId(), readingKey(r.at())));
        item.put("at", s(r.at().toString()));
        item.put("values", values(r.values()));
        item.put("expiresAt", n(expiresAt.getEpochSecond()));
        return DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)")));
    }

    @Override
    public List<Reading> between(String deviceId, Instant from, Instant to) {
        return table.queryAll(table.query().consistentRead(true)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(readingKey(from)),
                        ":to", s(readingKey(to.minusMillis(1))))))
                .stream().flatMap(i -> reading(deviceId, i).stream()).toList();
    }

    @Override
    public Page<Reading> page(String deviceId, Instant from, Instant to, int limit, Optional<String> token) {
        String scope = "readings?device=" + deviceId + "&from=" + from.toEpochMilli() + "&to=" + to.toEpochMilli();
        QueryRequest.Builder q = table.query().consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(readingKey(from)),
                        ":to", s(readingKey(to.minusMillis(1)))));
        table.tokens().decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(table.dynamo(), q.build());
        return new Page<>(page.items().stream().flatMap(i -> reading(deviceId, i).stream()).toList(), table.tokens().encode(scope, page.lastEvaluatedKey()));
    }

    @Override
    public Page<Map<String, Object>> export(List<String> deviceIds, int limit, Optional<String> token) {
        String scope = "export?devices=" + String.join(",", deviceIds);
        Map<String, AttributeValue> start = table.tokens().decode(scope, token).map(HashMap::new).orElseGet(HashMap::new);
        int device = start.containsKey("device") ? Integer.parseInt(start.remove("device").n()) : 0;
        List<Map<String, Object>> records = new ArrayList<>();
        while (device < deviceIds.size() && records.size() < limit) {
            String id = deviceIds.get(device);
            QueryResponse page = DynamoCalls.query(table.dynamo(), table.query().consistentRead(true)
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
        return new Page<>(records, table.tokens().encode(scope, start));
    }

    /** An item as an export record: readings, rollups and alerts; the rest is bookkeeping. */
    private static Optional<Map<String, Object>> record(String deviceId, Map<String, AttributeValue> i) {
        String sk = i.get("sk").s();
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("deviceId", deviceId);
        if (sk.startsWith("R#")) {
            Reading reading = reading(deviceId, i).orElseThrow();
            r.put("type", "reading");
            r.put("at", org.territoire.shared.json.Json.time(reading.at()));
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
            r.put("alert", DynamoAlerts.alert(i));
        } else {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    @Override
    public Optional<Reading> before(String deviceId, Instant at) {
        return table.first(table.query().consistentRead(true).scanIndexForward(false).limit(1)
                .keyConditionExpression("pk = :p AND sk BETWEEN :r AND :at")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":r", s(TelemetryTable.FIRST_READING), ":at", s(readingKey(at.minusMillis(1))))))
                .flatMap(i -> reading(deviceId, i));
    }

    @Override
    public Optional<Reading> atOrAfter(String deviceId, Instant at) {
        return table.first(table.query().consistentRead(true).limit(1)
                .keyConditionExpression("pk = :p AND sk BETWEEN :at AND :end")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":at", s(readingKey(at)), ":end", s(TelemetryTable.AFTER_READINGS))))
                .flatMap(i -> reading(deviceId, i));
    }

    /**
     * One UpdateItem of {@code LATEST}, conditional on the reading being newer, answering the item
     * it replaced ({@code ALL_OLD}) or, when refused, the item that refused it
     * ({@code ReturnValuesOnConditionCheckFailure}): the previous value, the latest one and the
     * sweep's offline mark come with the write, for no read.
     * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
     */
    @Override
    public LatestUpdate putLatest(Reading r) {
        try {
            Map<String, AttributeValue> old = table.dynamo().updateItem(u -> u.tableName(table.name()).key(key(r.deviceId(), TelemetryTable.LATEST))
                    .updateExpression("SET #at = :at, atMs = :ms, #values = :values, layout = :layout")
                    .conditionExpression("attribute_not_exists(atMs) OR atMs < :ms")
                    .expressionAttributeNames(Map.of("#at", "at", "#values", "values"))
                    .expressionAttributeValues(Map.of(":at", s(r.at().toString()), ":ms", n(r.at().toEpochMilli()), ":values", values(r.values()),
                            ":layout", n(TelemetryTable.LATEST_LAYOUT)))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            Optional<Reading> previous = old == null ? Optional.empty() : reading(r.deviceId(), old);
            return new LatestUpdate(true, previous, Optional.of(r), mayBeOffline(old));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.hasItem() ? e.item() : Map.of();
            return new LatestUpdate(false, Optional.empty(), reading(r.deviceId(), current), mayBeOffline(current));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** Marked by the sweep, or written before this layout (or never): the offline alert is worth a look. */
    private static boolean mayBeOffline(Map<String, AttributeValue> latest) {
        return latest == null || latest.containsKey(TelemetryTable.OFFLINE_MARK) || !latest.containsKey("layout");
    }

    @Override
    public Optional<Reading> latest(String deviceId) {
        return heard(deviceId).latest();
    }

    @Override
    public Heard heard(String deviceId) {
        Optional<Map<String, AttributeValue>> item = table.get(key(deviceId, TelemetryTable.LATEST));
        return new Heard(item.flatMap(i -> reading(deviceId, i)), item.map(i -> i.containsKey(TelemetryTable.OFFLINE_MARK)).orElse(false));
    }

    @Override
    public List<Reading> withPrevious(String deviceId, Instant since, Instant end) {
        // Newest first from the end, until one reading before `since` has been read: the hour and its predecessor in one query.
        List<Reading> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = DynamoCalls.query(table.dynamo(), table.query().consistentRead(true).scanIndexForward(false).limit(WITH_PREVIOUS_PAGE)
                    .keyConditionExpression("pk = :p AND sk BETWEEN :r AND :end")
                    .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":r", s(TelemetryTable.FIRST_READING),
                            ":end", s(readingKey(end.minusMillis(1))))).exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> i : page.items()) {
                Reading reading = reading(deviceId, i).orElseThrow();
                found.add(reading);
                if (reading.at().isBefore(since)) {
                    java.util.Collections.reverse(found);
                    return found;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        java.util.Collections.reverse(found);
        return found;
    }

    /**
     * A query is priced on the items its page reads, whatever the caller keeps: a page of 24
     * small readings stays under one 4 KB read unit, and a busier hour takes a few pages.
     */
    private static final int WITH_PREVIOUS_PAGE = 24;

    @Override
    public void putRollup(String deviceId, Rollup r) {
        Map<String, AttributeValue> item = new HashMap<>(key(deviceId, r.key()));
        item.putAll(rollupAttributes(r));
        // A computation that saw fewer readings (an earlier snapshot) never overwrites one that saw more.
        DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk) OR basis <= :b").expressionAttributeValues(Map.of(":b", n(r.basis())))));
    }

    @Override
    public List<Rollup> rollups(String deviceId, String fromKey, String toKey) {
        return table.queryAll(table.query().consistentRead(true)
                .keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)), ":from", s(fromKey), ":to", s(toKey))))
                .stream().map(DynamoReadings::rollup).toList();
    }

    @Override
    public int erase(String deviceId) {
        List<Map<String, AttributeValue>> items = table.queryAll(table.query().consistentRead(true)
                .projectionExpression("pk, sk").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s(partition(deviceId)))));
        List<WriteRequest> deletes = items.stream().filter(i -> !TelemetryTable.META.equals(i.get("sk").s()))
                .map(i -> WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))).build()).toList();
        for (int from = 0; from < deletes.size(); from += 25) {
            List<WriteRequest> batch = deletes.subList(from, Math.min(deletes.size(), from + 25));
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), batch);
            try {
                for (int attempt = 0; !pending.isEmpty() && attempt < 8; attempt++) {
                    Map<String, List<WriteRequest>> request = pending;
                    pending = table.dynamo().batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
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

    // ---------------------------------------------------------------- helpers

    private static AttributeValue values(Map<String, Double> values) {
        Map<String, AttributeValue> m = new HashMap<>();
        values.forEach((k, v) -> m.put(k, n(v)));
        return AttributeValue.fromM(m);
    }

    /**
     * A reading item, or the latest value: empty for no item, or for a latest value the sweep
     * made to mark a device that never sent a reading; anything else without a value is not
     * an item this code wrote, and is refused.
     */
    private static Optional<Reading> reading(String deviceId, Map<String, AttributeValue> i) {
        if (i == null || i.isEmpty() || (!i.containsKey("values") && i.containsKey(TelemetryTable.OFFLINE_MARK))) {
            return Optional.empty();
        }
        if (!i.containsKey("values") || !i.containsKey("at")) {
            throw new IllegalStateException("unreadable reading item " + i.get("sk"));
        }
        Map<String, Double> values = new HashMap<>();
        i.get("values").m().forEach((k, v) -> values.put(k, Double.valueOf(v.n())));
        return Optional.of(new Reading(deviceId, Instant.parse(i.get("at").s()), values));
    }

    /** A rollup's attributes (beside its key): its period, counts, basis, metrics and consumption. */
    static Map<String, AttributeValue> rollupAttributes(Rollup r) {
        Map<String, AttributeValue> item = new HashMap<>();
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
        return item;
    }

    static Rollup rollup(Map<String, AttributeValue> i) {
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
}
