package org.territoire.bookings.store;

import static org.territoire.bookings.store.BookingsTable.GSI1;
import static org.territoire.bookings.store.BookingsTable.GSI1PK;
import static org.territoire.bookings.store.BookingsTable.GSI1SK;
import static org.territoire.bookings.store.BookingsTable.GSI2;
import static org.territoire.bookings.store.BookingsTable.GSI2PK;
import static org.territoire.bookings.store.BookingsTable.GSI2SK;
import static org.territoire.bookings.store.BookingsTable.TYPE;
import static org.territoire.bookings.store.BookingsTable.VERSION;
import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.resources.Eligibility;
import org.territoire.bookings.resources.OpeningHours;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Resources: {@code RESOURCE#id / RESOURCE}, listed by name through GSI1 (all) and GSI2 (by kind). */
public final class DynamoResources implements ResourceRepository {
    private final BookingsTable table;
    private final PageTokens tokens;

    public DynamoResources(BookingsTable table, PageTokens tokens) {
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public void create(Resource r) {
        try {
            if (!DynamoCalls.putNew(table.dynamo(), table.name(), item(r))) {
                throw DomainError.conflict("a resource with this id already exists");
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /**
     * The whole item is replaced, so the write is conditioned on the version the edit read: two
     * edits of different fields made at once cannot both pass, and the loser is told (409)
     * instead of silently undoing the winner's change. An item stored before versions existed
     * has none and counts as version 0.
     */
    @Override
    public boolean update(Resource r, long expectedVersion) {
        String version = expectedVersion == 0 ? "attribute_not_exists(#version)" : "#version = :v";
        Map<String, AttributeValue> values = expectedVersion == 0 ? null : Map.of(":v", n(expectedVersion));
        return DynamoCalls.conditionally(() -> table.dynamo().putItem(p -> p.tableName(table.name()).item(item(r))
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(retiredAt) AND " + version)
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(values)));
    }

    /** Out of both listing indexes: a retired resource is no longer offered. */
    @Override
    public boolean retire(String id, Instant at) {
        return DynamoCalls.conditionally(() -> table.dynamo().updateItem(u -> u.tableName(table.name())
                .key(BookingsTable.resourceKey(id))
                .updateExpression("SET retiredAt = :at ADD #version :one REMOVE "
                        + String.join(", ", GSI1PK, GSI1SK, GSI2PK, GSI2SK))
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(retiredAt)")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":one", n(1)))));
    }

    @Override
    public Optional<Resource> find(String id) {
        return table.get(BookingsTable.resourceKey(id)).map(DynamoResources::resource);
    }

    @Override
    public Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> pageToken) {
        String scope = "resources?kind=" + kind.map(Enum::name).orElse("");
        QueryRequest.Builder q = table.queryRequest().limit(limit)
                .indexName(kind.isPresent() ? GSI2 : GSI1)
                .keyConditionExpression((kind.isPresent() ? GSI2PK : GSI1PK) + " = :p")
                .expressionAttributeValues(Map.of(":p", s(BookingsTable.resourcesPk(kind))));
        tokens.decode(scope, pageToken).ifPresent(q::exclusiveStartKey);
        QueryResponse page = table.query(q.build());
        return new Page<>(page.items().stream().map(DynamoResources::resource).toList(),
                tokens.encode(scope, page.lastEvaluatedKey()));
    }

    private static Map<String, AttributeValue> item(Resource r) {
        Map<String, AttributeValue> item = new HashMap<>(BookingsTable.resourceKey(r.id()));
        item.put(TYPE, s("RESOURCE"));
        String sort = r.name().toLowerCase(Locale.ROOT) + "#" + r.id();
        item.put(GSI1PK, s(BookingsTable.resourcesPk(Optional.empty())));
        item.put(GSI1SK, s(sort));
        item.put(GSI2PK, s(BookingsTable.resourcesPk(Optional.of(r.kind()))));
        item.put(GSI2SK, s(sort));
        item.put("id", s(r.id()));
        item.put("kind", s(r.kind().name()));
        item.put("name", s(r.name()));
        optional(item, "description", r.description());
        optional(item, "operatorOrganisation", r.operatorOrganisation());
        optional(item, "lenderId", r.lenderId());
        item.put("district", s(r.district()));
        if (r.latitude() != null) {
            item.put("latitude", n(r.latitude()));
            item.put("longitude", n(r.longitude()));
        }
        item.put("capacity", n(r.capacity()));
        item.put("slotMinutes", n(r.slot().toMinutes()));
        item.put("openingHours", s(Json.write(hoursToJson(r.openingHours()))));
        item.put("zone", s(r.zone().getId()));
        item.put("minDurationMinutes", n(r.minDuration().toMinutes()));
        item.put("maxDurationMinutes", n(r.maxDuration().toMinutes()));
        item.put("minNoticeMinutes", n(r.minNotice().toMinutes()));
        item.put("maxAdvanceMinutes", n(r.maxAdvance().toMinutes()));
        item.put("bufferMinutes", n(r.buffer().toMinutes()));
        item.put("eligibility", s(Json.write(r.eligibility())));
        item.put("requiresApproval", AttributeValue.fromBool(r.requiresApproval()));
        optional(item, "linkedDeviceId", r.linkedDeviceId());
        optional(item, "address", r.address());
        item.put("createdAt", s(r.createdAt().toString()));
        item.put("createdBy", s(r.createdBy()));
        item.put(VERSION, n(r.version()));
        return item;
    }

    private static Resource resource(Map<String, AttributeValue> i) {
        Map<String, List<String>> hours = Json.MAPPER.convertValue(Json.tree(i.get("openingHours").s()),
                new TypeReference<Map<String, List<String>>>() { });
        Map<DayOfWeek, List<OpeningHours.Period>> days = new EnumMap<>(DayOfWeek.class);
        hours.forEach((day, periods) -> days.put(DayOfWeek.valueOf(day), periods.stream().map(OpeningHours.Period::parse).toList()));
        return new Resource(i.get("id").s(), ResourceKind.valueOf(i.get("kind").s()), i.get("name").s(),
                str(i, "description"), str(i, "operatorOrganisation"), str(i, "lenderId"), i.get("district").s(),
                i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null,
                Integer.parseInt(i.get("capacity").n()), minutes(i, "slotMinutes"), new OpeningHours(days),
                ZoneId.of(i.get("zone").s()), minutes(i, "minDurationMinutes"), minutes(i, "maxDurationMinutes"),
                minutes(i, "minNoticeMinutes"), minutes(i, "maxAdvanceMinutes"), minutes(i, "bufferMinutes"),
                Json.MAPPER.convertValue(Json.tree(i.get("eligibility").s()), Eligibility.class),
                i.get("requiresApproval").bool(), str(i, "linkedDeviceId"), Instant.parse(i.get("createdAt").s()),
                i.get("createdBy").s(), i.containsKey("retiredAt") ? Instant.parse(i.get("retiredAt").s()) : null,
                i.containsKey(VERSION) ? Long.parseLong(i.get(VERSION).n()) : 0, str(i, "address"));
    }

    private static Map<String, List<String>> hoursToJson(OpeningHours hours) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        hours.days().forEach((day, periods) -> out.put(day.name(), periods.stream().map(OpeningHours.Period::toString).toList()));
        return out;
    }

    private static Duration minutes(Map<String, AttributeValue> i, String name) {
        return Duration.ofMinutes(Long.parseLong(i.get(name).n()));
    }

    private static void optional(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isBlank()) {
            item.put(name, s(value));
        }
    }
}
