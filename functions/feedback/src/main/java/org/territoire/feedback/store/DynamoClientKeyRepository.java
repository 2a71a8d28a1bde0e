package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.feedback.open311.ClientKey;
import org.territoire.feedback.open311.ClientKeyRepository;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.error.DomainError;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Open311 api_keys in the feedback table:
 * <pre>
 *   APIKEY#keyId   APIKEY   organisation, name, SHA-256 of the secret (GSI1: APIKEYS#ORG#org)
 * </pre>
 */
public final class DynamoClientKeyRepository implements ClientKeyRepository {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoClientKeyRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void create(ClientKey key, String secretHash) {
        Map<String, AttributeValue> item = new HashMap<>(key(key.keyId()));
        item.put("type", s("APIKEY"));
        item.put("keyId", s(key.keyId()));
        item.put("organisationId", s(key.organisationId()));
        item.put("name", s(key.name()));
        item.put("createdAt", s(key.createdAt().toString()));
        item.put("createdBy", s(key.createdBy()));
        item.put("secretHash", s(secretHash));
        item.put("gsi1pk", s("APIKEYS#ORG#" + key.organisationId()));
        item.put("gsi1sk", s(key.createdAt() + "#" + key.keyId()));
        if (!DynamoCalls.putNew(dynamo, table, item)) {
            throw DomainError.conflict("an Open311 key with this id already exists");
        }
    }

    @Override
    public Optional<StoredKey> find(String keyId) {
        return DynamoCalls.get(dynamo, table, key(keyId)).map(i -> new StoredKey(key(i), i.get("secretHash").s()));
    }

    @Override
    public List<ClientKey> ofOrganisation(String organisationId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI1")
                        .keyConditionExpression("gsi1pk = :p").expressionAttributeValues(Map.of(":p", s("APIKEYS#ORG#" + organisationId)))
                        .build())
                .stream().map(DynamoClientKeyRepository::key).toList();
    }

    @Override
    public boolean revoke(String organisationId, String keyId) {
        return DynamoCalls.conditionally(() -> dynamo.deleteItem(d -> d.tableName(table).key(key(keyId))
                .conditionExpression("organisationId = :org").expressionAttributeValues(Map.of(":org", s(organisationId)))));
    }

    private static ClientKey key(Map<String, AttributeValue> i) {
        return new ClientKey(i.get("keyId").s(), i.get("organisationId").s(), i.get("name").s(),
                Instant.parse(i.get("createdAt").s()), i.get("createdBy").s());
    }

    private static Map<String, AttributeValue> key(String keyId) {
        return Map.of("pk", s("APIKEY#" + keyId), "sk", s("APIKEY"));
    }
}
