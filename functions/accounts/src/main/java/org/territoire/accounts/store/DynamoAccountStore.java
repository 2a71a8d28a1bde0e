package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.account.AccountStore;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Deletions and exports in the accounts table (layout: {@link AccountsTable}). */
public final class DynamoAccountStore implements AccountStore {
    /** As long as the export bucket keeps the parts (its lifecycle rule). */
    static final Duration EXPORT_KEPT = Duration.ofDays(7);
    /** Long enough for every consumer's retries and a DLQ replay; the record holds only the pseudonymous sub. */
    static final Duration DELETION_KEPT = Duration.ofDays(35);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAccountStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Instant recordDeletion(String accountId, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(AccountsTable.key("DELETED#" + accountId, "DELETED"));
        item.put("deletedAt", s(at.toString()));
        item.put("expiresAt", n(at.plus(DELETION_KEPT).getEpochSecond()));
        if (DynamoCalls.putNew(dynamo, table, item)) {
            return at;
        }
        return DynamoCalls.get(dynamo, table, AccountsTable.key("DELETED#" + accountId, "DELETED"))
                .map(i -> Instant.parse(i.get("deletedAt").s())).orElse(at);
    }

    @Override
    public void recordExport(String accountId, String exportId, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(AccountsTable.key(AccountsTable.account(accountId), "EXPORT#" + exportId));
        item.put("requestedAt", s(at.toString()));
        item.put("expiresAt", n(at.plus(EXPORT_KEPT).getEpochSecond()));
        try {
            dynamo.putItem(p -> p.tableName(table).item(item));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public Optional<Instant> export(String accountId, String exportId) {
        return DynamoCalls.get(dynamo, table, AccountsTable.key(AccountsTable.account(accountId), "EXPORT#" + exportId))
                .map(i -> Instant.parse(i.get("requestedAt").s()));
    }
}
