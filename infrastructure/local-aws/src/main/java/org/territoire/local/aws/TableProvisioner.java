package org.territoire.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/** Creates the tables of template.yaml, with their indexes and TTL, so that local and deployed schemas cannot drift. */
public final class TableProvisioner {
    private final DynamoDbClient dynamo;

    public TableProvisioner(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
    }

    public List<String> createAll(SamTemplate template) {
        List<String> names = new ArrayList<>();
        for (SamTemplate.Table table : template.tables()) {
            create(table.logicalId(), table.properties());
            names.add(table.logicalId());
        }
        return names;
    }

    public static CreateTableRequest request(String name, JsonNode props) {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.fromValue(props.path("BillingMode").asText("PAY_PER_REQUEST")))
                .attributeDefinitions(map(props.path("AttributeDefinitions"), a -> AttributeDefinition.builder()
                        .attributeName(a.path("AttributeName").asText()).attributeType(a.path("AttributeType").asText()).build()))
                .keySchema(keys(props.path("KeySchema")));
        List<GlobalSecondaryIndex> indexes = map(props.path("GlobalSecondaryIndexes"), g -> GlobalSecondaryIndex.builder()
                .indexName(g.path("IndexName").asText())
                .keySchema(keys(g.path("KeySchema")))
                // INCLUDE's attributes too: without them the local index would hold the keys only, and a reader of one would fail here only.
                .projection(Projection.builder().projectionType(g.path("Projection").path("ProjectionType").asText("ALL"))
                        .nonKeyAttributes(g.path("Projection").has("NonKeyAttributes")
                                ? map(g.path("Projection").path("NonKeyAttributes"), JsonNode::asText) : null).build())
                .build());
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private void create(String name, JsonNode props) {
        try {
            dynamo.createTable(request(name, props));
        } catch (ResourceInUseException exists) {
            return;
        }
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(name));
        JsonNode ttl = props.path("TimeToLiveSpecification");
        if (ttl.path("Enabled").asBoolean(false)) {
            dynamo.updateTimeToLive(r -> r.tableName(name).timeToLiveSpecification(s -> s
                    .attributeName(ttl.path("AttributeName").asText()).enabled(true)));
        }
    }

    private static List<KeySchemaElement> keys(JsonNode node) {
        return map(node, k -> KeySchemaElement.builder()
                .attributeName(k.path("AttributeName").asText()).keyType(k.path("KeyType").asText()).build());
    }

    private static <T> List<T> map(JsonNode array, java.util.function.Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }
}
