package org.territoire.shared.ddb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The adapters' common calls, with SDK failures translated (never swallowed). */
public final class DynamoCalls {
    private DynamoCalls() {
    }

    /** Attempts at a transaction that only conflicted with another one on the same items. */
    static final int CONFLICT_ATTEMPTS = 6;

    /**
     * Writes all items or none: false when a condition failed, and nothing was written. See
     * {@link #failedConditions} for the contention policy.
     */
    public static boolean transact(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        return failedConditions(dynamo, items).isEmpty();
    }

    /**
     * Writes all items or none, and says which items' conditions failed (their indexes, in
     * order; empty when everything was written), so that a refusal can be explained without a
     * second read. A transaction cancelled only because others were writing the same items at
     * that moment (TransactionConflict, common on a hot counter) or because it was throttled is
     * retried after a short random pause, then reported as a retryable storage failure (503 with
     * Retry-After), never as a failed condition.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
     */
    public static List<Integer> failedConditions(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(t -> t.transactItems(items));
                return List.of();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                List<Integer> failed = new ArrayList<>();
                for (int i = 0; i < reasons.size(); i++) {
                    if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
                        failed.add(i);
                    }
                }
                if (!failed.isEmpty()) {
                    return List.copyOf(failed);
                }
                boolean transientOnly = !reasons.isEmpty() && reasons.stream().map(CancellationReason::code)
                        .allMatch(c -> c == null || "None".equals(c) || "TransactionConflict".equals(c)
                                || "ThrottlingError".equals(c) || "ProvisionedThroughputExceeded".equals(c));
                if (!transientOnly) {
                    throw StorageException.from(e);
                }
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw StorageException.busy("transaction kept conflicting with concurrent writes", e);
                }
                pause(attempt);
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5L << attempt, 20L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }

    /**
     * Creates the item unless an item with its key exists: false when one does. A put applied
     * whose answer was lost is retried by the SDK and then fails its own condition; the random
     * {@code writeId} it carries, read back from the refusal ({@code ALL_OLD}), says the item is
     * this call's own, so the creation is reported as done rather than as a conflict.
     */
    public static boolean putNew(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item) {
        String writeId = java.util.UUID.randomUUID().toString();
        Map<String, AttributeValue> stamped = new java.util.HashMap<>(item);
        stamped.put("writeId", AttributeValue.fromS(writeId));
        try {
            dynamo.putItem(p -> p.tableName(table).item(stamped).conditionExpression("attribute_not_exists(pk)")
                    .returnValuesOnConditionCheckFailure(software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            AttributeValue existing = e.hasItem() ? e.item().get("writeId") : null;
            return existing != null && writeId.equals(existing.s());
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** Runs one conditional write: false when its condition failed, and nothing was written. */
    public static boolean conditionally(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** The item under this key, read consistently, if there is one. */
    public static Optional<Map<String, AttributeValue>> get(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(key)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** Every item the query matches, page after page (for partitions known to be small). */
    public static List<Map<String, AttributeValue>> queryAll(DynamoDbClient dynamo, QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = query(dynamo, request.toBuilder().exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    public static QueryResponse query(DynamoDbClient dynamo, QueryRequest request) {
        try {
            return dynamo.query(request);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
