package org.territoire.shared.events;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The events the bus refused after their write committed, kept in the capability's own table
 * until its sweep publishes them again (docs/decisions.md, "Domain events after the write"):
 * one partition, {@code OUTBOX}, sorted by the time kept, so the sweep reads them with one Query
 * of the table (never a Scan) and the partition is empty but for the bus's bad moments. Each is
 * claimed by one conditional write before it goes again (two sweeps at once publish it once),
 * and deleted once the bus took it; a claim whose publication failed expires and the next sweep
 * tries again. The consumers are idempotent on the detail (notifications' delivery log keys a
 * notice by its type, object and moment, not by EventBridge's id), so a republished event sends
 * nothing twice. Items expire ({@code expiresAt}) after {@link #KEPT_FOR}: an event that old is
 * stale news, and the detail's account ids are not kept beyond that.
 */
public final class DynamoOutbox implements Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoOutbox.class);
    static final String PARTITION = "OUTBOX";
    /** How long a kept event waits at most for a bus that takes it. */
    public static final Duration KEPT_FOR = Duration.ofDays(3);
    /** A claim lasts this long: a sweep that died after claiming leaves the event to the one after it. */
    static final Duration CLAIM = Duration.ofMinutes(5);
    private static final TypeReference<LinkedHashMap<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOutbox(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void keep(String detailType, Map<String, Object> detail, Instant at) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", s(PARTITION));
        item.put("sk", s(String.format("%015d#%s", at.toEpochMilli(), UUID.randomUUID())));
        item.put("detailType", s(detailType));
        item.put("detail", s(Json.write(detail)));
        item.put("keptAt", s(at.toString()));
        item.put("expiresAt", n(at.plus(KEPT_FOR).getEpochSecond()));
        dynamo.putItem(p -> p.tableName(table).item(item));
    }

    @Override
    public Resent resend(DomainEvents bus, Instant now, int limit) {
        int resent = 0;
        int failed = 0;
        List<Map<String, AttributeValue>> kept = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).limit(limit)
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s(PARTITION))).build()).items();
        for (Map<String, AttributeValue> item : kept) {
            String sk = item.get("sk").s();
            try {
                if (!claim(sk, now)) {
                    continue; // another sweep has it, or published it already
                }
                bus.publish(item.get("detailType").s(), Json.MAPPER.readValue(item.get("detail").s(), DETAIL));
                dynamo.deleteItem(d -> d.tableName(table).key(Map.of("pk", s(PARTITION), "sk", s(sk))));
                resent++;
            } catch (Exception e) {
                // Stays kept, claimed until the claim expires: the next sweep tries again.
                failed++;
                LOG.warn("could not publish again the kept event {} {}: {}", item.get("detailType").s(), sk, e.toString());
            }
        }
        return new Resent(resent, failed);
    }

    @Override
    public List<Kept> naming(String accountId) {
        List<Kept> kept = new java.util.ArrayList<>();
        for (Map<String, AttributeValue> item : namingItems(accountId)) {
            try {
                kept.add(new Kept(item.get("detailType").s(), Instant.parse(item.get("keptAt").s()),
                        Json.MAPPER.readValue(item.get("detail").s(), DETAIL)));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("a kept event's detail is not JSON: " + item.get("sk").s(), e);
            }
        }
        return kept;
    }

    @Override
    public int forget(String accountId) {
        int forgotten = 0;
        for (Map<String, AttributeValue> item : namingItems(accountId)) {
            String sk = item.get("sk").s();
            // Whether a sweep published it meanwhile or not, it is gone after this: a delete of nothing is no error.
            DynamoCalls.conditionally(() -> dynamo.deleteItem(d -> d.tableName(table).key(Map.of("pk", s(PARTITION), "sk", s(sk)))));
            forgotten++;
        }
        return forgotten;
    }

    /**
     * The partition's events naming the account: the detail is stored as JSON text, where an id is always a quoted string,
     * so the quoted id matches that value and no longer id containing it. One Query of the partition (small but for the bus's
     * bad moments), read consistently: an erasure must not miss an event kept just before it.
     */
    private List<Map<String, AttributeValue>> namingItems(String accountId) {
        if (accountId == null || accountId.isBlank() || accountId.indexOf('"') >= 0 || accountId.indexOf('\\') >= 0) {
            return List.of();
        }
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p").filterExpression("contains(detail, :id)")
                .expressionAttributeValues(Map.of(":p", s(PARTITION), ":id", s(Json.write(accountId)))).build());
    }

    private boolean claim(String sk, Instant now) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", s(PARTITION), "sk", s(sk)))
                .updateExpression("SET claimedUntil = :until")
                .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(claimedUntil) OR claimedUntil <= :now)")
                .expressionAttributeValues(Map.of(":until", n(now.plus(CLAIM).toEpochMilli()), ":now", n(now.toEpochMilli())))));
    }
}
