package org.territoire.bookings.store;

import static org.territoire.shared.ddb.Attributes.n;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.occupancy.Occupancy;
import org.territoire.bookings.occupancy.OccupancyRepository;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What each resource's sensor last reported: {@code RESOURCE#id / OCCUPANCY}, observedAt in epoch milliseconds. */
public final class DynamoOccupancy implements OccupancyRepository {
    private final BookingsTable table;

    public DynamoOccupancy(BookingsTable table) {
        this.table = table;
    }

    /** Conditioned on being newer: a late or duplicated delivery never overwrites a newer observation. */
    @Override
    public boolean record(Occupancy o) {
        Map<String, AttributeValue> item = new HashMap<>(BookingsTable.occupancyKey(o.resourceId()));
        item.put("occupied", AttributeValue.fromBool(o.occupied()));
        item.put("observedAt", n(o.observedAt().toEpochMilli()));
        return DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(observedAt) OR observedAt < :at")
                .expressionAttributeValues(Map.of(":at", n(o.observedAt().toEpochMilli())))));
    }

    @Override
    public Optional<Occupancy> occupancy(String resourceId) {
        return table.get(BookingsTable.occupancyKey(resourceId)).map(i -> new Occupancy(resourceId, i.get("occupied").bool(),
                Instant.ofEpochMilli(Long.parseLong(i.get("observedAt").n()))));
    }
}
