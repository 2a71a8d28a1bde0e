package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.verification.CensusStore;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The census entries and the attempts counters in the accounts table (layout: {@link AccountsTable}). */
public final class DynamoCensusStore implements CensusStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoCensusStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public int load(List<Entry> entries) {
        try {
            for (Entry e : entries) {
                // An update, not a put: a reload keeps the claim an account already holds on the entry.
                dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.census(e.hmac()))
                        .updateExpression("SET district = :d").expressionAttributeValues(Map.of(":d", s(e.district()))));
            }
            return entries.size();
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public Optional<String> district(String hmac) {
        return DynamoCalls.get(dynamo, table, AccountsTable.census(hmac)).map(i -> i.get("district").s());
    }

    @Override
    public boolean claim(String hmac, String accountId) {
        Map<String, AttributeValue> marker = new HashMap<>(AccountsTable.censusClaim(accountId));
        marker.put("hmac", s(hmac));
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(AccountsTable.census(hmac))
                        .conditionExpression("attribute_exists(pk) AND (attribute_not_exists(claimedBy) OR claimedBy = :me)")
                        .updateExpression("SET claimedBy = :me").expressionAttributeValues(Map.of(":me", s(accountId)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(marker)).build()));
    }

    @Override
    public void release(String accountId) {
        var marker = DynamoCalls.get(dynamo, table, AccountsTable.censusClaim(accountId));
        if (marker.isEmpty()) {
            return;
        }
        String hmac = marker.get().get("hmac").s();
        DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.census(hmac))
                .conditionExpression("claimedBy = :me").updateExpression("REMOVE claimedBy")
                .expressionAttributeValues(Map.of(":me", s(accountId)))));
        try {
            dynamo.deleteItem(d -> d.tableName(table).key(AccountsTable.censusClaim(accountId)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public boolean countAttempt(String accountId, LocalDate day, int limit) {
        long expires = day.plusDays(2).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table)
                .key(AccountsTable.key(AccountsTable.account(accountId), "ATTEMPTS#" + day))
                .conditionExpression("attribute_not_exists(attempts) OR attempts < :limit")
                .updateExpression("ADD attempts :one SET expiresAt = :expires")
                .expressionAttributeValues(Map.of(":limit", n(limit), ":one", n(1), ":expires", n(expires)))));
    }
}
