package org.territoire.telemetry.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.device.Consents;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.ThingRetirer;
import org.territoire.telemetry.reading.ReadingRepository;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the telemetry capability holds about a person: their home and health devices (those
 * they own) with every reading, rollup and alert, and their consent to district aggregates.
 * Erased whole at the account's deletion: the devices' items, their data, the consent, and
 * the replay records of the person's requests; a device they registered for someone else (an
 * agent's registration) keeps its registration with {@code createdBy} anonymised.
 *
 * <p>An erased device's AWS IoT thing and certificates go first ({@link ThingRetirer}): a retry
 * after a failure finds the device's registration again and finishes.
 */
public final class DynamoTelemetryPersonalData implements PersonalData {
    private final TelemetryTable table;
    private final ReadingRepository readings;
    private final Consents consents;
    private final ThingRetirer things;

    public DynamoTelemetryPersonalData(TelemetryTable table, ReadingRepository readings, Consents consents, ThingRetirer things) {
        this.table = table;
        this.readings = readings;
        this.consents = consents;
        this.things = things;
    }

    @Override
    public String capability() {
        return "telemetry";
    }

    /** The person's items: their devices (META and SEEN carry the owner), what they registered, their consent, their replay records. */
    private List<Map<String, AttributeValue>> items(String accountId) {
        return Erasures.scanAll(table.dynamo(), table.name(),
                "ownerId = :a OR createdBy = :a OR pk = :consent OR contains(responseBody, :a)", Map.of(),
                Map.of(":a", s(accountId), ":consent", DynamoConsents.key(accountId).get("pk")));
    }

    private List<Device> owned(List<Map<String, AttributeValue>> items, String accountId) {
        return items.stream().filter(i -> TelemetryTable.META.equals(i.get("sk").s()) && ownedBy(i, accountId))
                .map(DynamoDevices::device).sorted(Comparator.comparing(Device::id)).toList();
    }

    private static boolean ownedBy(Map<String, AttributeValue> item, String accountId) {
        return item.containsKey("ownerId") && accountId.equals(item.get("ownerId").s());
    }

    @Override
    public Map<String, Object> export(String accountId) {
        List<Map<String, AttributeValue>> items = items(accountId);
        List<Device> owned = owned(items, accountId);
        List<Map<String, Object>> records = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<Map<String, Object>> page = readings.export(owned.stream().map(Device::id).toList(), 5000, token);
            records.addAll(page.items());
            token = Optional.ofNullable(page.nextToken());
        } while (token.isPresent());
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("readme", "devices: the home and health devices registered as yours; records: their readings, hourly rollups "
                + "and alerts (type reading, hour, day, month or alert); registered: devices you registered for others (ids); "
                + "consent: your choice to count in district aggregates, and when you made it.");
        export.put("devices", owned);
        export.put("records", records);
        export.put("registered", items.stream().filter(i -> TelemetryTable.META.equals(i.get("sk").s()) && !ownedBy(i, accountId))
                .map(i -> i.get("id").s()).sorted().toList());
        export.put("consent", consents.find(accountId).orElse(null));
        return export;
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        Map<String, Integer> done = new TreeMap<>();
        // First the tombstone: a consent or a registration still being written with the person's
        // token either committed before it (and the scan below finds it) or fails.
        Erasures.tombstone(table.dynamo(), table.name(), accountId, deletedAt);
        List<Map<String, AttributeValue>> items = items(accountId);
        for (Device d : owned(items, accountId)) {
            // The thing and its certificates, then the data, the registration last: a retry after a
            // failure in between finds the device again.
            things.retire(d.id());
            done.merge("deviceItems", readings.erase(d.id()), Integer::sum);
            Erasures.delete(table.dynamo(), table.name(), Map.of("pk", s(TelemetryTable.partition(d.id())), "sk", s(TelemetryTable.META)));
            done.merge("devices", 1, Integer::sum);
        }
        for (Map<String, AttributeValue> i : items) {
            String sk = i.get("sk").s();
            if (Erasures.replayRecord(i)) {
                Erasures.delete(table.dynamo(), table.name(), i);
                done.merge("replayRecords", 1, Integer::sum);
            } else if ((TelemetryTable.META.equals(sk) || TelemetryTable.SEEN.equals(sk)) && i.containsKey("createdBy")
                    && accountId.equals(i.get("createdBy").s()) && !ownedBy(i, accountId)) {
                DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name())
                        .key(Map.of("pk", i.get("pk"), "sk", i.get("sk"))).updateExpression("SET createdBy = :former")
                        .conditionExpression("createdBy = :a")
                        .expressionAttributeValues(Map.of(":former", s(Erasures.FORMER_RESIDENT), ":a", s(accountId)))));
                done.merge("registrationsAnonymised", 1, Integer::sum);
            }
        }
        consents.erase(accountId);
        return done;
    }
}
