package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;
import static org.territoire.telemetry.store.TelemetryTable.key;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.device.DeviceRepository;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Devices: the {@code META} item of each device's partition, listed by district and kind, by owner, by last time heard from. */
public final class DynamoDevices implements DeviceRepository {
    private final TelemetryTable table;

    public DynamoDevices(TelemetryTable table) {
        this.table = table;
    }

    @Override
    public boolean create(Device d) {
        Map<String, AttributeValue> item = new HashMap<>(key(d.id(), TelemetryTable.META));
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
        item.put("gsi1pk", s(TelemetryTable.districtKind(d.district(), d.kind())));
        item.put("gsi1sk", s(d.id()));
        if (d.ownerId() != null) {
            item.put("gsi2pk", s(TelemetryTable.owner(d.ownerId())));
        }
        item.put("gsi3pk", s(TelemetryTable.SEEN));
        item.put("gsi3sk", s(TelemetryTable.seenKey(d.createdAt(), d.id())));
        item.put("gsi4pk", s(TelemetryTable.TERRITORY));
        item.put("gsi4sk", s(TelemetryTable.territoryKey(d.district(), d.kind(), d.id())));
        // Neither the registering agent nor the owner may be an erased account whose token
        // outlives it: their tombstones, written first by the erasure, fail the registration (see Erasures).
        List<software.amazon.awssdk.services.dynamodb.model.TransactWriteItem> items = new java.util.ArrayList<>(List.of(
                software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item)
                        .conditionExpression("attribute_not_exists(pk)")).build()));
        if (d.ownerId() != null && !d.ownerId().equals(d.createdBy())) {
            items.add(org.territoire.shared.accounts.Erasures.notErased(table.name(), d.ownerId()));
        }
        items.add(org.territoire.shared.accounts.Erasures.notErased(table.name(), d.createdBy()));
        List<Integer> failed = DynamoCalls.failedConditions(table.dynamo(), items);
        if (failed.contains(items.size() - 1)) {
            throw org.territoire.shared.error.DomainError.forbidden("this account was deleted");
        }
        if (failed.contains(1) && items.size() == 3) {
            throw org.territoire.shared.error.DomainError.conflict("the owner's account was deleted");
        }
        return failed.isEmpty();
    }

    @Override
    public Optional<Device> find(String id) {
        return table.get(key(id, TelemetryTable.META)).map(DynamoDevices::device);
    }

    @Override
    public void delete(String id) {
        try {
            table.dynamo().deleteItem(d -> d.tableName(table.name()).key(key(id, TelemetryTable.META)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public List<Device> ofOwner(String ownerId) {
        return table.queryAll(table.query().indexName(TelemetryTable.BY_OWNER).keyConditionExpression("gsi2pk = :p")
                .expressionAttributeValues(Map.of(":p", s(TelemetryTable.owner(ownerId))))).stream().map(DynamoDevices::device).toList();
    }

    @Override
    public List<Device> inDistrict(String district, DeviceKind kind) {
        return table.queryAll(table.query().indexName(TelemetryTable.DEVICES_BY_DISTRICT).keyConditionExpression("gsi1pk = :p")
                .expressionAttributeValues(Map.of(":p", s(TelemetryTable.districtKind(district, kind))))).stream().map(DynamoDevices::device).toList();
    }

    /**
     * A scan of the district index: it holds the devices' {@code META} items only (an index has
     * only the items that carry its key), so it reads the devices and nothing else.
     */
    @Override
    public List<Device> all() {
        List<Device> found = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                var page = table.dynamo().scan(sc -> sc.tableName(table.name()).indexName(TelemetryTable.DEVICES_BY_DISTRICT).exclusiveStartKey(from));
                page.items().forEach(i -> found.add(device(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
        return found;
    }

    /**
     * One query of the territory index: a district (and a kind in it) is a prefix of its sort
     * key. A kind alone is a filter of that query, which DynamoDB applies after {@code Limit}:
     * up to four reads, each asking for what the page still lacks, fill the page, and a page may
     * still come back short (its {@code nextToken} says where to go on).
     */
    @Override
    public Page<Device> territory(Optional<String> district, Optional<DeviceKind> kind, int limit, Optional<String> token) {
        String scope = "devices?district=" + district.orElse("") + "&kind=" + kind.map(Enum::name).orElse("");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(TelemetryTable.TERRITORY)));
        String condition = "gsi4pk = :p";
        if (district.isPresent()) {
            condition += " AND begins_with(gsi4sk, :prefix)";
            values.put(":prefix", s(district.get() + "#" + kind.map(k -> k.name() + "#").orElse("")));
        }
        boolean filtered = district.isEmpty() && kind.isPresent();
        if (filtered) {
            values.put(":kind", s(kind.get().name()));
        }
        List<Device> found = new java.util.ArrayList<>();
        Map<String, AttributeValue> start = table.tokens().decode(scope, token).orElse(null);
        for (int read = 0; read < 4 && found.size() < limit && (read == 0 || start != null); read++) {
            QueryRequest.Builder q = table.query().indexName(TelemetryTable.TERRITORY_INDEX).limit(limit - found.size())
                    .keyConditionExpression(condition).expressionAttributeValues(values).exclusiveStartKey(start);
            if (filtered) {
                q.filterExpression("#kind = :kind").expressionAttributeNames(Map.of("#kind", "kind"));
            }
            QueryResponse page = DynamoCalls.query(table.dynamo(), q.build());
            page.items().forEach(i -> found.add(device(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        }
        return new Page<>(found, table.tokens().encode(scope, start));
    }

    /** The {@code LATEST} items of these devices, their time and offline mark only (no reading), by BatchGetItem. */
    @Override
    public Map<String, LastHeard> lastHeard(List<String> ids) {
        Map<String, LastHeard> heard = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> key(id, TelemetryTable.LATEST)).toList();
            Map<String, software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes> pending = Map.of(table.name(),
                    software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes.builder().keys(keys)
                            .projectionExpression("pk, atMs, #offline").expressionAttributeNames(Map.of("#offline", TelemetryTable.OFFLINE_MARK)).build());
            try {
                for (int attempt = 0; !pending.isEmpty(); attempt++) {
                    if (attempt == 8) {
                        throw StorageException.busy("the devices' last messages could not all be read; retry", null);
                    }
                    var request = pending;
                    var response = table.dynamo().batchGetItem(b -> b.requestItems(request));
                    response.responses().getOrDefault(table.name(), List.of()).stream().filter(i -> i.containsKey("atMs")).forEach(i -> heard.put(
                            i.get("pk").s().substring("DEVICE#".length()),
                            new LastHeard(Instant.ofEpochMilli(Long.parseLong(i.get("atMs").n())), i.containsKey(TelemetryTable.OFFLINE_MARK))));
                    pending = response.unprocessedKeys();
                }
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
        }
        return heard;
    }

    @Override
    public Page<Device> silentSince(Instant before, int limit, Optional<String> token) {
        String scope = "silent?before=" + before.toEpochMilli();
        QueryRequest.Builder q = table.query().indexName(TelemetryTable.BY_LAST_SEEN).limit(limit)
                .keyConditionExpression("gsi3pk = :p AND gsi3sk < :before")
                .expressionAttributeValues(Map.of(":p", s(TelemetryTable.SEEN), ":before", s(String.format("%015d", before.toEpochMilli()))));
        table.tokens().decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(table.dynamo(), q.build());
        return new Page<>(page.items().stream().map(DynamoDevices::device).toList(), table.tokens().encode(scope, page.lastEvaluatedKey()));
    }

    /**
     * Moves the device's entry in the sweep's index forward to {@code at}: an item of its own
     * ({@code SEEN}, in that index only), carrying the device's attributes so that the sweep
     * reads the device from its index entry. Moving an index key costs the item's write and two
     * index writes, so it is not done on every message: the first message makes the entry
     * ({@code first}: the creation-time entry of {@code META} then leaves the index, once), and
     * after that the sweep moves it when it finds the device was heard from since.
     */
    @Override
    public void heardFrom(Device device, Instant at, boolean first) {
        Map<String, AttributeValue> values = new HashMap<>(attributes(device));
        values.put(":pk", s(TelemetryTable.SEEN));
        values.put(":sk", s(TelemetryTable.seenKey(at, device.id())));
        values.put(":ms", n(at.toEpochMilli()));
        StringBuilder set = new StringBuilder("SET gsi3pk = :pk, gsi3sk = :sk, lastSeenMs = :ms");
        Map<String, String> names = new HashMap<>();
        for (String attribute : attributes(device).keySet()) {
            String name = attribute.substring(1);
            names.put("#" + name, name);
            set.append(", #").append(name).append(" = ").append(attribute);
        }
        DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name()).key(key(device.id(), TelemetryTable.SEEN))
                .updateExpression(set.toString()).conditionExpression("attribute_not_exists(lastSeenMs) OR lastSeenMs < :ms")
                .expressionAttributeNames(names).expressionAttributeValues(values)));
        if (first) {
            DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name()).key(key(device.id(), TelemetryTable.META))
                    .updateExpression("REMOVE gsi3pk, gsi3sk").conditionExpression("attribute_exists(gsi3pk)")));
        }
    }

    /** The device's attributes as update values ({@code :name}), so that the sweep reads the device from its index entry. */
    private static Map<String, AttributeValue> attributes(Device d) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":id", s(d.id()));
        values.put(":kind", s(d.kind().name()));
        values.put(":district", s(d.district()));
        if (d.latitude() != null) {
            values.put(":latitude", n(d.latitude()));
            values.put(":longitude", n(d.longitude()));
        }
        if (d.ownerId() != null) {
            values.put(":ownerId", s(d.ownerId()));
        }
        if (d.resourceId() != null) {
            values.put(":resourceId", s(d.resourceId()));
        }
        if (d.name() != null) {
            values.put(":name", s(d.name()));
        }
        values.put(":createdAt", s(d.createdAt().toString()));
        values.put(":createdBy", s(d.createdBy()));
        return values;
    }

    static Device device(Map<String, AttributeValue> i) {
        return new Device(i.get("id").s(), DeviceKind.valueOf(i.get("kind").s()), i.get("district").s(),
                i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null, str(i, "ownerId"), str(i, "resourceId"),
                str(i, "name"), Instant.parse(i.get("createdAt").s()), i.get("createdBy").s());
    }

    static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }
}
