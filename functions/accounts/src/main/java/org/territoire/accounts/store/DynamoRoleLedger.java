package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.territoire.accounts.roles.RoleLedger;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Roles in the accounts table: {@code ACCOUNT#<sub> / ROLE#<role>} the standing,
 * {@code ACCOUNT#<sub> / ROLELOG#<at>#<uuid>} each change, written together. Both sit under the
 * account, so its erasure removes them.
 */
public final class DynamoRoleLedger implements RoleLedger {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoRoleLedger(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void record(Entry change) {
        Map<String, AttributeValue> standing = new HashMap<>(AccountsTable.key(AccountsTable.account(change.accountId()), "ROLE#" + change.role()));
        Map<String, AttributeValue> log = new HashMap<>(AccountsTable.key(AccountsTable.account(change.accountId()),
                "ROLELOG#" + AccountsTable.sortable(change.at()) + "#" + UUID.randomUUID()));
        for (Map<String, AttributeValue> item : List.of(standing, log)) {
            item.put("role", s(change.role()));
            item.put("granted", AttributeValue.fromBool(change.granted()));
            item.put("by", s(change.by()));
            item.put("at", s(change.at().toString()));
            change.organisationId().ifPresent(o -> item.put("organisationId", s(o)));
        }
        // The history entry is new (its key is unique); the standing is whatever the last change says.
        if (!DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(standing)).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(log).conditionExpression("attribute_not_exists(pk)")).build()))) {
            throw StorageException.busy("the role change could not be recorded; retry", null);
        }
    }

    @Override
    public Optional<Entry> standing(String accountId, String role) {
        return DynamoCalls.get(dynamo, table, AccountsTable.key(AccountsTable.account(accountId), "ROLE#" + role)).map(i -> entry(accountId, i));
    }

    @Override
    public List<Entry> history(String accountId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table)
                        .keyConditionExpression("pk = :a AND begins_with(sk, :log)")
                        .expressionAttributeValues(Map.of(":a", s(AccountsTable.account(accountId)), ":log", s("ROLELOG#")))
                        .scanIndexForward(false).consistentRead(true).build())
                .stream().map(i -> entry(accountId, i)).toList();
    }

    private static Entry entry(String accountId, Map<String, AttributeValue> i) {
        return new Entry(accountId, i.get("role").s(), i.get("granted").bool(),
                Optional.ofNullable(i.get("organisationId")).map(AttributeValue::s), i.get("by").s(), java.time.Instant.parse(i.get("at").s()));
    }
}
