package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;
import static org.territoire.telemetry.store.DynamoDevices.putIfPresent;
import static org.territoire.telemetry.store.TelemetryTable.key;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.telemetry.alert.Alert;
import org.territoire.telemetry.alert.AlertRepository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Alerts: an {@code ALERT#rule#millis} item per alert ever raised, and an {@code ACTIVE#rule}
 * item naming the active one, written together in one transaction so that a rule is active
 * at most once per device.
 */
public final class DynamoAlerts implements AlertRepository {
    private final TelemetryTable table;

    public DynamoAlerts(TelemetryTable table) {
        this.table = table;
    }

    @Override
    public boolean raise(Alert a) {
        return DynamoCalls.transact(table.dynamo(), raising(a));
    }

    /** The two puts of a raised alert: the active marker and the alert, each only if absent. */
    private List<TransactWriteItem> raising(Alert a) {
        String alertKey = TelemetryTable.alertKey(a.rule(), a.raisedAt());
        Map<String, AttributeValue> active = new HashMap<>(key(a.deviceId(), TelemetryTable.activeKey(a.rule())));
        active.put("alertKey", s(alertKey));
        Map<String, AttributeValue> item = new HashMap<>(key(a.deviceId(), alertKey));
        item.put("deviceId", s(a.deviceId()));
        item.put("rule", s(a.rule().name()));
        item.put("district", s(a.district()));
        putIfPresent(item, "ownerId", a.ownerId());
        item.put("raisedAt", s(a.raisedAt().toString()));
        putIfPresent(item, "detail", a.detail());
        item.put("gsi2pk", s(TelemetryTable.alertsOf(a.ownerId())));
        item.put("gsi1sk", s(String.format("%015d#%s#%s", a.raisedAt().toEpochMilli(), a.deviceId(), a.rule())));
        return List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(active).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)")).build());
    }

    /**
     * The alert, and the offline mark on the device's latest value, in one transaction whose
     * condition is that the device has not been heard from since {@code lastHeard}: a message
     * that arrives while the sweep decides wins, and no alert is raised on a device that spoke.
     */
    @Override
    public boolean raiseOffline(Alert a, Instant lastHeard) {
        List<TransactWriteItem> items = new ArrayList<>(raising(a));
        String alertKey = TelemetryTable.alertKey(a.rule(), a.raisedAt());
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(key(a.deviceId(), TelemetryTable.LATEST))
                .updateExpression("SET #mark = :k").conditionExpression("attribute_not_exists(#mark) AND (attribute_not_exists(atMs) OR atMs <= :heard)")
                .expressionAttributeNames(Map.of("#mark", TelemetryTable.OFFLINE_MARK))
                .expressionAttributeValues(Map.of(":k", s(alertKey), ":heard", n(lastHeard.toEpochMilli())))).build());
        return DynamoCalls.transact(table.dynamo(), items);
    }

    @Override
    public boolean clear(String deviceId, Alert.Rule rule, Instant at) {
        Optional<Map<String, AttributeValue>> active = table.get(key(deviceId, TelemetryTable.activeKey(rule)));
        if (active.isEmpty()) {
            return false;
        }
        String alertKey = active.get().get("alertKey").s();
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(key(deviceId, TelemetryTable.activeKey(rule)))
                        .conditionExpression("alertKey = :k").expressionAttributeValues(Map.of(":k", s(alertKey)))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(key(deviceId, alertKey))
                        .updateExpression("SET clearedAt = :at").expressionAttributeValues(Map.of(":at", s(at.toString())))).build()));
        if (rule == Alert.Rule.OFFLINE) {
            // The mark goes with the alert; an alert raised before the mark existed has none, which REMOVE ignores.
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name()).key(key(deviceId, TelemetryTable.LATEST))
                    .updateExpression("REMOVE #mark").expressionAttributeNames(Map.of("#mark", TelemetryTable.OFFLINE_MARK))).build());
        }
        return DynamoCalls.transact(table.dynamo(), items);
    }

    @Override
    public Optional<Alert> active(String deviceId, Alert.Rule rule) {
        return table.get(key(deviceId, TelemetryTable.activeKey(rule))).flatMap(a -> table.get(key(deviceId, a.get("alertKey").s())))
                .map(DynamoAlerts::alert);
    }

    @Override
    public List<Alert> visibleTo(String ownerId, int limit) {
        return DynamoCalls.query(table.dynamo(), table.query().indexName(TelemetryTable.BY_OWNER).scanIndexForward(false).limit(limit)
                        .keyConditionExpression("gsi2pk = :p")
                        .expressionAttributeValues(Map.of(":p", s(TelemetryTable.alertsOf(ownerId)))).build())
                .items().stream().map(DynamoAlerts::alert).toList();
    }

    static Alert alert(Map<String, AttributeValue> i) {
        return new Alert(i.get("deviceId").s(), Alert.Rule.valueOf(i.get("rule").s()), i.get("district").s(), str(i, "ownerId"),
                Instant.parse(i.get("raisedAt").s()), i.containsKey("clearedAt") ? Instant.parse(i.get("clearedAt").s()) : null,
                str(i, "detail"));
    }
}
