package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.territoire.accounts.verification.ExpiryStore;
import org.territoire.accounts.verification.Verification;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The expiry sweep's view of the accounts table: the sparse {@code VERIFIED} partition of GSI1,
 * sorted by expiry date, and conditional updates of the {@code VERIFICATION} item. Its role may
 * query that index and get and update items, nothing else (template.yaml, AccountsSweepFunction).
 */
public final class DynamoExpiryStore implements ExpiryStore {
    private static final int PAGE = 100;
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoExpiryStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void eachExpired(Instant now, Consumer<Verification> action) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            // A settled lapse leaves the index; the page's position stays valid all the same.
            QueryResponse page = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName(AccountsTable.OPEN_INDEX)
                    .keyConditionExpression("gsi1pk = :verified AND gsi1sk < :bound")
                    .expressionAttributeValues(Map.of(":verified", s(AccountsTable.VERIFIED), ":bound", s(AccountsTable.lapsedBy(now))))
                    .limit(PAGE).exclusiveStartKey(from).build());
            for (Map<String, AttributeValue> item : page.items()) {
                action.accept(DynamoVerificationStore.verification(item.get("pk").s().substring("ACCOUNT#".length()), item));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    @Override
    public boolean recordExpiry(Verification seen, Instant now) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.verification(seen.accountId()))
                .conditionExpression("validUntil = :seen AND gsi1pk = :verified")
                .updateExpression("SET expiredAt = if_not_exists(expiredAt, :now)")
                .expressionAttributeValues(Map.of(":seen", s(seen.expiresAt().toString()), ":verified", s(AccountsTable.VERIFIED),
                        ":now", s(now.toString())))));
    }

    @Override
    public boolean settled(Verification seen) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.verification(seen.accountId()))
                .conditionExpression("validUntil = :seen AND attribute_exists(expiredAt)")
                .updateExpression("REMOVE gsi1pk, gsi1sk")
                .expressionAttributeValues(Map.of(":seen", s(seen.expiresAt().toString())))));
    }

    @Override
    public Optional<Verification> current(String accountId) {
        return DynamoCalls.get(dynamo, table, AccountsTable.verification(accountId)).map(i -> DynamoVerificationStore.verification(accountId, i));
    }
}
