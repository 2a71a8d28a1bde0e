package org.territoire.shared.accounts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the capabilities' erasures share.
 *
 * <p>The <em>tombstone</em> closes the race between an erasure and a request still carrying the
 * deleted person's token (an ID token stays valid up to its 60 minutes after the account is
 * gone): the erasure writes it first, and the writes that create personal items under a
 * counter (a booking, a participation) check in their own transaction that it is absent. A
 * write either committed before the tombstone, and the erasure's strongly consistent scan,
 * which starts after it, sees it; or it fails. The tombstone holds a hash of the account id,
 * not the id, and expires (TTL) after {@link #TOMBSTONE_LIFETIME}, well past any token's.
 */
public final class Erasures {
    /** Who authored a public text, or held an anonymised record, once their account is gone. */
    public static final String FORMER_RESIDENT = "former resident";
    public static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(2);
    private static final String SK = "ERASED";

    private Erasures() {
    }

    public static Map<String, AttributeValue> tombstoneKey(String accountId) {
        return Map.of("pk", AttributeValue.fromS("ERASED#" + Hashes.sha256Hex("account:" + accountId)), "sk", AttributeValue.fromS(SK));
    }

    /** Writes the account's tombstone in the capability's table; a redelivery finds it there and leaves it as it is. */
    public static void tombstone(DynamoDbClient dynamo, String table, String accountId, Instant now) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(tombstoneKey(accountId));
        item.put("type", AttributeValue.fromS("ERASED_ACCOUNT"));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(now.plus(TOMBSTONE_LIFETIME).getEpochSecond())));
        org.territoire.shared.ddb.DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")));
    }

    /** A transaction item that fails when the account was erased: its condition is the tombstone's absence. */
    public static TransactWriteItem notErased(String table, String accountId) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(tombstoneKey(accountId))
                .conditionExpression("attribute_not_exists(pk)")).build();
    }

    /**
     * Commits the items with the account's tombstone check appended: false when one of the
     * items' own conditions failed (nothing written), {@link org.territoire.shared.error.DomainError.Forbidden}
     * when the account was erased meanwhile.
     */
    public static boolean transactUnlessErased(DynamoDbClient dynamo, String table, String accountId, List<TransactWriteItem> items) {
        List<TransactWriteItem> all = new ArrayList<>(items);
        all.add(notErased(table, accountId));
        List<Integer> failed = org.territoire.shared.ddb.DynamoCalls.failedConditions(dynamo, all);
        if (failed.contains(all.size() - 1)) {
            throw org.territoire.shared.error.DomainError.forbidden("this account was deleted");
        }
        return failed.isEmpty();
    }

    /**
     * Every item of the table matching the filter, strongly consistent, a page at a time. An
     * erasure reads the whole table once: deletions are rare, and an index by person on every
     * item type would cost a write on every item for ever.
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ReadConsistency
     */
    public static void scan(DynamoDbClient dynamo, String table, String filter, Map<String, String> names,
                            Map<String, AttributeValue> values, Consumer<List<Map<String, AttributeValue>>> page) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            ScanResponse response;
            try {
                response = dynamo.scan(ScanRequest.builder().tableName(table).consistentRead(true).filterExpression(filter)
                        .expressionAttributeNames(names == null || names.isEmpty() ? null : names)
                        .expressionAttributeValues(values == null || values.isEmpty() ? null : values).exclusiveStartKey(after).build());
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
            if (!response.items().isEmpty()) {
                page.accept(new ArrayList<>(response.items()));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    /** Every matching item at once (a person's items are few). */
    public static List<Map<String, AttributeValue>> scanAll(DynamoDbClient dynamo, String table, String filter, Map<String, String> names,
                                                            Map<String, AttributeValue> values) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        scan(dynamo, table, filter, names, values, all::addAll);
        return all;
    }

    /** Deletes an item unconditionally (a redelivery deletes nothing the second time). */
    public static void delete(DynamoDbClient dynamo, String table, Map<String, AttributeValue> item) {
        try {
            dynamo.deleteItem(d -> d.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /**
     * Page tokens for a consumer that reads with the capability's repositories but issues no
     * page to anyone: a key of its own, made at init, so that it needs no read of the pagination
     * secret (least privilege). A token it made would open nothing elsewhere, and it makes none.
     */
    public static org.territoire.shared.page.PageTokens privateTokens() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return new org.territoire.shared.page.PageTokens(key);
    }

    /** A random 128-bit handle in unpadded base64url: what replaces a pseudonym that could be recomputed from the account. */
    public static String randomHandle() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An idempotency record whose stored answer names the account (a replay record of one of their requests). */
    public static boolean replayRecord(Map<String, AttributeValue> item) {
        return item.get("pk").s().startsWith("IDEMPOTENCY#");
    }
}
