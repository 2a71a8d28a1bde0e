package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.verification.Method;
import org.territoire.accounts.verification.RequestStatus;
import org.territoire.accounts.verification.Verification;
import org.territoire.accounts.verification.VerificationRequest;
import org.territoire.accounts.verification.VerificationStore;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Verification requests and verifications in the accounts table (layout: {@link AccountsTable}). */
public final class DynamoVerificationStore implements VerificationStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoVerificationStore(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public boolean open(VerificationRequest r) {
        Map<String, AttributeValue> item = new HashMap<>(AccountsTable.request(r.id()));
        item.put("accountId", s(r.accountId()));
        item.put("method", s(r.method().name()));
        item.put("district", s(r.district()));
        item.put("status", s(r.status().name()));
        item.put("createdAt", s(r.createdAt().toString()));
        item.put("triesLeft", n(0));
        r.address().ifPresent(a -> item.put("address", s(a)));
        item.put("gsi1pk", s("OPEN"));
        item.put("gsi2pk", s(AccountsTable.account(r.accountId())));
        item.put("gsi1sk", s(r.createdAt() + "#" + r.id()));
        Map<String, AttributeValue> guard = new HashMap<>(AccountsTable.openGuard(r.accountId()));
        guard.put("requestId", s(r.id()));
        // One open request per account: the guard item is created with the request, or neither is.
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(guard).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build()));
    }

    @Override
    public Optional<VerificationRequest> request(String requestId) {
        return DynamoCalls.get(dynamo, table, AccountsTable.request(requestId)).map(DynamoVerificationStore::request);
    }

    @Override
    public Page<VerificationRequest> open(int limit, Optional<String> nextToken) {
        String scope = "verifications/open";
        var start = tokens.decode(scope, nextToken);
        var response = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName(AccountsTable.OPEN_INDEX)
                .keyConditionExpression("gsi1pk = :open").expressionAttributeValues(Map.of(":open", s("OPEN")))
                .limit(limit).exclusiveStartKey(start.orElse(null)).build());
        return new Page<>(response.items().stream().map(DynamoVerificationStore::request).toList(),
                tokens.encode(scope, response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null));
    }

    @Override
    public List<VerificationRequest> ofAccount(String accountId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName(AccountsTable.ACCOUNT_INDEX)
                        .keyConditionExpression("gsi2pk = :a").expressionAttributeValues(Map.of(":a", s(AccountsTable.account(accountId))))
                        .scanIndexForward(false).build())
                .stream().map(DynamoVerificationStore::request).toList();
    }

    @Override
    public boolean decide(VerificationRequest d, RequestStatus expected, Optional<Verification> verification) {
        List<TransactWriteItem> items = new ArrayList<>();
        // The decision replaces what the request held while open: the address and the code's hash go.
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(AccountsTable.request(d.id()))
                .conditionExpression("#status = :expected")
                .updateExpression("SET #status = :status, decidedBy = :by, decidedAt = :at, triesLeft = :zero"
                        + " REMOVE gsi1pk, address, codeHash, codeExpiresAt")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":expected", s(expected.name()), ":status", s(d.status().name()),
                        ":by", s(d.decidedBy().orElseThrow()), ":at", s(d.decidedAt().orElseThrow().toString()), ":zero", n(0))))
                .build());
        items.add(TransactWriteItem.builder().delete(x -> x.tableName(table).key(AccountsTable.openGuard(d.accountId()))).build());
        verification.ifPresent(v -> {
            Map<String, AttributeValue> item = new HashMap<>(AccountsTable.verification(v.accountId()));
            item.put("method", s(v.method().name()));
            item.put("district", s(v.district()));
            item.put("verifiedAt", s(v.verifiedAt().toString()));
            item.put("verifiedBy", s(v.verifiedBy()));
            item.put("validUntil", s(v.expiresAt().toString()));
            // On the expiry index until the sweep settles its lapse (a renewal puts it back, at its new date).
            item.put("gsi1pk", s(AccountsTable.VERIFIED));
            item.put("gsi1sk", s(AccountsTable.expirySortKey(v.expiresAt(), v.accountId())));
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build());
        });
        return DynamoCalls.transact(dynamo, items);
    }

    @Override
    public boolean letterSent(VerificationRequest sent) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.request(sent.id()))
                .conditionExpression("#status = :pending")
                .updateExpression("SET #status = :sent, codeHash = :hash, codeExpiresAt = :expires, triesLeft = :tries REMOVE address")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":pending", s(RequestStatus.PENDING.name()), ":sent", s(RequestStatus.LETTER_SENT.name()),
                        ":hash", s(sent.codeHash().orElseThrow()), ":expires", s(sent.codeExpiresAt().orElseThrow().toString()),
                        ":tries", n(sent.triesLeft())))));
    }

    @Override
    public Optional<Integer> spendTry(String requestId, Instant now) {
        try {
            var response = dynamo.updateItem(u -> u.tableName(table).key(AccountsTable.request(requestId))
                    .conditionExpression("#status = :sent AND triesLeft > :zero AND codeExpiresAt > :now")
                    .updateExpression("SET triesLeft = triesLeft - :one")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":sent", s(RequestStatus.LETTER_SENT.name()), ":zero", n(0), ":one", n(1),
                            ":now", s(now.toString())))
                    .returnValues(ReturnValue.UPDATED_NEW));
            return Optional.of(Integer.parseInt(response.attributes().get("triesLeft").n()));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public Optional<Verification> verification(String accountId) {
        return DynamoCalls.get(dynamo, table, AccountsTable.verification(accountId)).map(i -> verification(accountId, i));
    }

    static Verification verification(String accountId, Map<String, AttributeValue> i) {
        return new Verification(accountId, Method.valueOf(i.get("method").s()), i.get("district").s(),
                Instant.parse(i.get("verifiedAt").s()), i.get("verifiedBy").s(), Instant.parse(i.get("validUntil").s()));
    }

    @Override
    public void erase(String accountId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (VerificationRequest r : ofAccount(accountId)) {
            keys.add(AccountsTable.request(r.id()));
        }
        for (var item : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :a").expressionAttributeValues(Map.of(":a", s(AccountsTable.account(accountId))))
                .projectionExpression("pk, sk").build())) {
            if (!"CENSUS_CLAIM".equals(item.get("sk").s())) {    // released by the census store, which needs it
                keys.add(Map.of("pk", item.get("pk"), "sk", item.get("sk")));
            }
        }
        try {
            for (var key : keys) {
                dynamo.deleteItem(d -> d.tableName(table).key(key));
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    static VerificationRequest request(Map<String, AttributeValue> i) {
        return new VerificationRequest(i.get("pk").s().substring("REQ#".length()), i.get("accountId").s(),
                Method.valueOf(i.get("method").s()), i.get("district").s(), RequestStatus.valueOf(i.get("status").s()),
                Instant.parse(i.get("createdAt").s()), text(i, "address"), text(i, "codeHash"),
                text(i, "codeExpiresAt").map(Instant::parse), i.containsKey("triesLeft") ? Integer.parseInt(i.get("triesLeft").n()) : 0,
                text(i, "decidedBy"), text(i, "decidedAt").map(Instant::parse));
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }
}
