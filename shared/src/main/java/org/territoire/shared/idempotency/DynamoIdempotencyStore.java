package org.territoire.shared.idempotency;

import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency records in the function's own table ({@code pk = IDEMPOTENCY#<key>},
 * {@code sk = IDEMPOTENCY}), removed by the table's TTL after {@link #RETENTION}. A record
 * is claimed with one conditional put; a request stuck "in progress" (its function died)
 * can be claimed again once its lease ends.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    public static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than the functions' timeout, so a live request is never claimed twice. */
    static final Duration LEASE = Duration.ofSeconds(60);
    private static final String SK = "IDEMPOTENCY";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Claim claim(String key, String fingerprint) {
        long now = clock.millis();
        // Names this attempt's claim: when the put succeeded but its answer was lost, the SDK's
        // retry fails the condition on our own record, and the claim id says it is ours.
        String claimId = java.util.UUID.randomUUID().toString();
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.fromS(pk(key)),
                "sk", AttributeValue.fromS(SK),
                "status", AttributeValue.fromS("IN_PROGRESS"),
                "claimId", AttributeValue.fromS(claimId),
                "fingerprint", AttributeValue.fromS(fingerprint),
                "leaseUntil", AttributeValue.fromN(Long.toString(now + LEASE.toMillis())),
                "expiresAt", AttributeValue.fromN(Long.toString((now + RETENTION.toMillis()) / 1000)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR expiresAt < :nowSeconds"
                            + " OR (#status = :inProgress AND leaseUntil < :now)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":nowSeconds", AttributeValue.fromN(Long.toString(now / 1000)),
                            ":now", AttributeValue.fromN(Long.toString(now)),
                            ":inProgress", AttributeValue.fromS("IN_PROGRESS"))));
            return new Claim.Started();
        } catch (ConditionalCheckFailedException taken) {
            return existing(key, fingerprint, claimId);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    private Claim existing(String key, String fingerprint, String claimId) {
        Map<String, AttributeValue> item;
        try {
            item = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(key(key))).item();
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
        if (item == null || item.isEmpty()) {
            // Released between our write and our read: the client may simply retry.
            return new Claim.InProgress();
        }
        if (!fingerprint.equals(item.get("fingerprint").s())) {
            return new Claim.Mismatch();
        }
        if (!"COMPLETED".equals(item.get("status").s())) {
            AttributeValue holder = item.get("claimId");
            return holder != null && claimId.equals(holder.s()) ? new Claim.Started() : new Claim.InProgress();
        }
        Map<String, String> headers = Json.MAPPER.convertValue(Json.tree(item.get("responseHeaders").s()),
                new TypeReference<Map<String, String>>() { });
        AttributeValue body = item.get("responseBody");
        return new Claim.Completed(new ApiResponse(Integer.parseInt(item.get("responseStatus").n()), headers,
                body == null ? null : body.s()));
    }

    @Override
    public void complete(String key, String fingerprint, ApiResponse response) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put("status", AttributeValue.fromS("COMPLETED"));
        item.put("fingerprint", AttributeValue.fromS(fingerprint));
        item.put("responseStatus", AttributeValue.fromN(Integer.toString(response.statusCode())));
        item.put("responseHeaders", AttributeValue.fromS(Json.write(response.headers())));
        if (response.body() != null) {
            item.put("responseBody", AttributeValue.fromS(response.body()));
        }
        item.put("expiresAt", AttributeValue.fromN(Long.toString((clock.millis() + RETENTION.toMillis()) / 1000)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public void release(String key) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(key)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    private static String pk(String key) {
        return "IDEMPOTENCY#" + key;
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of("pk", AttributeValue.fromS(pk(key)), "sk", AttributeValue.fromS(SK));
    }
}
