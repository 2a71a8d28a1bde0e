package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.district.DistrictHour;
import org.territoire.telemetry.district.DistrictRepository;
import org.territoire.telemetry.rollup.Rollups;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * District hours ({@code DISTRICT#district#KIND / H#hour}), the sweep's marks and its progress
 * ({@code DISTRICTS / MARK#hour#district#KIND}, {@code DISTRICTS / SWEPT}); see TelemetryTable.
 */
public final class DynamoDistricts implements DistrictRepository {
    private final TelemetryTable table;

    public DynamoDistricts(TelemetryTable table) {
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    @Override
    public void put(DistrictHour h) {
        Map<String, AttributeValue> item = new HashMap<>(key(TelemetryTable.district(h.district(), h.kind()), h.figures().key()));
        item.putAll(DynamoReadings.rollupAttributes(h.figures()));
        item.put("devices", n(h.devices()));
        item.put("households", n(h.households()));
        // A computation that saw fewer readings (an earlier snapshot, a concurrent sweep) never overwrites one that saw more.
        DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(pk) OR basis <= :b").expressionAttributeValues(Map.of(":b", n(h.figures().basis())))));
    }

    @Override
    public List<DistrictHour> hours(String district, DeviceKind kind, Instant fromHour, Instant toHour) {
        return table.queryAll(table.query().keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":p", s(TelemetryTable.district(district, kind)), ":from", s(Rollups.hourKey(fromHour)),
                        ":to", s(Rollups.hourKey(toHour)))))
                .stream().map(i -> new DistrictHour(district, kind, DynamoReadings.rollup(i), Integer.parseInt(i.get("devices").n()),
                        Integer.parseInt(i.get("households").n()))).toList();
    }

    @Override
    public void mark(String district, DeviceKind kind, Instant hour, Instant at) {
        DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(Map.of(
                "pk", s(TelemetryTable.DISTRICTS), "sk", s(TelemetryTable.markKey(hour, district, kind)),
                "district", s(district), "kind", s(kind.name()), "hour", s(hour.toString()), "markedAt", n(at.toEpochMilli()),
                "token", s(java.util.UUID.randomUUID().toString())))));
    }

    @Override
    public List<Mark> marks(int limit) {
        return DynamoCalls.query(table.dynamo(), table.query().consistentRead(true).limit(limit)
                        .keyConditionExpression("pk = :p AND begins_with(sk, :m)")
                        .expressionAttributeValues(Map.of(":p", s(TelemetryTable.DISTRICTS), ":m", s(TelemetryTable.MARK))).build())
                .items().stream().map(i -> new Mark(i.get("district").s(), DeviceKind.valueOf(i.get("kind").s()), Instant.parse(i.get("hour").s()),
                        i.get("token").s())).toList();
    }

    @Override
    public void unmark(Mark m) {
        // Marked again after the sweep read it: the mark stays for the next run.
        DynamoCalls.conditionally(() -> table.dynamo().deleteItem(d -> d.tableName(table.name())
                .key(key(TelemetryTable.DISTRICTS, TelemetryTable.markKey(m.hour(), m.district(), m.kind())))
                .conditionExpression("#token = :t").expressionAttributeNames(Map.of("#token", "token"))
                .expressionAttributeValues(Map.of(":t", s(m.token())))));
    }

    @Override
    public Optional<Instant> sweptThrough() {
        return table.get(key(TelemetryTable.DISTRICTS, TelemetryTable.SWEPT)).map(i -> Instant.ofEpochMilli(Long.parseLong(i.get("hourMs").n())));
    }

    @Override
    public void sweptThrough(Instant hour) {
        DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name())
                .item(Map.of("pk", s(TelemetryTable.DISTRICTS), "sk", s(TelemetryTable.SWEPT), "hourMs", n(hour.toEpochMilli()),
                        "hour", s(hour.toString())))
                .conditionExpression("attribute_not_exists(pk) OR hourMs < :h").expressionAttributeValues(Map.of(":h", n(hour.toEpochMilli())))));
    }
}
