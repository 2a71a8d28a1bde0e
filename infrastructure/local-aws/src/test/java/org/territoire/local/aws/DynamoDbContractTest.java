package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The DynamoDB behaviours Territoire relies on. They run against the project's local
 * endpoint by default, or against any endpoint named by TERRITOIRE_AWS_ENDPOINT (LocalStack,
 * or a real account with AWS_REGION and credentials), so the local endpoint can always be
 * checked against the real thing. Each test works on keys of its own.
 */
class DynamoDbContractTest {
    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void endpoint() {
        LocalAws aws = LocalAws.shared();
        dynamo = aws.dynamoDb();
        table = "FeedbackTable";
        assertThat(aws.tables()).contains(table);
    }

    @Test
    void conditionalPut_attributeNotExists_letsOnlyTheFirstWriteIn() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(item(pk, "A", "first")).conditionExpression("attribute_not_exists(pk)"));

        assertThatThrownBy(() -> dynamo.putItem(r -> r.tableName(table).item(item(pk, "A", "second"))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(get(pk, "A").get("v").s()).isEqualTo("first");
    }

    @Test
    void conditionalUpdate_appliesOnlyWhenTheConditionHolds_andReturnsNewValues() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "sk", s("C"), "n", n(0))));

        var updated = dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s(pk), "sk", s("C")))
                .updateExpression("ADD n :one").conditionExpression("n < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(1))).returnValues(ReturnValue.ALL_NEW));
        assertThat(updated.attributes().get("n").n()).isEqualTo("1");

        assertThatThrownBy(() -> dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s(pk), "sk", s("C")))
                .updateExpression("ADD n :one").conditionExpression("n < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(1)))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(get(pk, "C").get("n").n()).isEqualTo("1");
    }

    @Test
    void conditionalDelete_removesOnlyAMatchingItem() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(item(pk, "D", "owner-1")));

        assertThatThrownBy(() -> dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s(pk), "sk", s("D")))
                .conditionExpression("v = :me").expressionAttributeValues(Map.of(":me", s("owner-2")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", s(pk), "sk", s("D")))
                .conditionExpression("v = :me").expressionAttributeValues(Map.of(":me", s("owner-1"))));
        assertThat(get(pk, "D")).isEmpty();
    }

    @Test
    void transaction_isAllOrNothing_andNamesTheFailedCondition() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(item(pk, "TAKEN", "x")));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                put(item(pk, "NEW", "y"), "attribute_not_exists(pk)"),
                put(item(pk, "TAKEN", "z"), "attribute_not_exists(pk)"))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                        .extracting(CancellationReason::code).containsExactly("None", "ConditionalCheckFailed"));
        assertThat(get(pk, "NEW")).as("no partial write").isEmpty();
        assertThat(get(pk, "TAKEN").get("v").s()).isEqualTo("x");
    }

    @Test
    void transaction_conditionCheck_guardsAnotherItem() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "sk", s("STATE"), "open", AttributeValue.fromBool(false))));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table)
                        .key(Map.of("pk", s(pk), "sk", s("STATE")))
                        .conditionExpression("#o = :t").expressionAttributeNames(Map.of("#o", "open"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build(),
                put(item(pk, "VOTE", "v"), "attribute_not_exists(pk)"))))
                .isInstanceOf(TransactionCanceledException.class);
        assertThat(get(pk, "VOTE")).isEmpty();
    }

    @Test
    void concurrentConditionalPuts_onOneKey_haveExactlyOneWinner() {
        for (int round = 0; round < 3; round++) {
            String pk = key();
            var outcomes = Concurrently.run(50, i -> () -> {
                dynamo.putItem(r -> r.tableName(table).item(item(pk, "ONE", "writer-" + i))
                        .conditionExpression("attribute_not_exists(pk)"));
                return i;
            });

            assertThat(outcomes).filteredOn(Concurrently.Outcome::ok).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.ok())
                    .allSatisfy(o -> assertThat(o.error()).isInstanceOf(ConditionalCheckFailedException.class));
            int winner = outcomes.stream().filter(Concurrently.Outcome::ok).findFirst().orElseThrow().value();
            assertThat(get(pk, "ONE").get("v").s()).isEqualTo("writer-" + winner);
        }
    }

    @Test
    void concurrentCappedIncrements_neverPassTheCap() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "sk", s("COUNTER"), "n", n(0))));

        var outcomes = Concurrently.run(100, i -> () -> dynamo.updateItem(r -> r.tableName(table)
                .key(Map.of("pk", s(pk), "sk", s("COUNTER")))
                .updateExpression("ADD n :one").conditionExpression("n < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(3)))));

        assertThat(outcomes).filteredOn(Concurrently.Outcome::ok).hasSize(3);
        assertThat(get(pk, "COUNTER").get("n").n()).isEqualTo("3");
    }

    @Test
    void concurrentTransactions_keepACounterAndItsItemsInStep() {
        String pk = key();
        dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "sk", s("SLOT"), "n", n(0))));

        var outcomes = Concurrently.run(60, i -> () -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", s(pk), "sk", s("SLOT")))
                        .updateExpression("ADD n :one").conditionExpression("n < :cap")
                        .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(5)))).build(),
                put(item(pk, "B#" + i, "booking"), "attribute_not_exists(pk)"))));

        assertThat(outcomes).filteredOn(Concurrently.Outcome::ok).hasSize(5);
        assertThat(outcomes).filteredOn(o -> !o.ok())
                .allSatisfy(o -> assertThat(o.error()).isInstanceOf(TransactionCanceledException.class));
        assertThat(get(pk, "SLOT").get("n").n()).isEqualTo("5");
        QueryResponse bookings = dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :pk AND begins_with(sk, :b)")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":b", s("B#"))));
        assertThat(bookings.count()).isEqualTo(5);
    }

    @Test
    void gsiQuery_returnsItemsInSortKeyOrder() {
        String partition = "CONTRACT#" + key();
        for (String name : List.of("charlie", "alpha", "bravo")) {
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(key()), "sk", s("X"),
                    "gsi1pk", s(partition), "gsi1sk", s(name))));
        }

        QueryResponse response = dynamo.query(r -> r.tableName(table).indexName("GSI1")
                .keyConditionExpression("gsi1pk = :p").expressionAttributeValues(Map.of(":p", s(partition))));

        assertThat(response.items()).extracting(i -> i.get("gsi1sk").s()).containsExactly("alpha", "bravo", "charlie");
    }

    @Test
    void pagination_visitsEveryItemOnce() {
        String pk = key();
        for (int i = 0; i < 25; i++) {
            String sk = String.format("I#%02d", i);
            dynamo.putItem(r -> r.tableName(table).item(Map.of("pk", s(pk), "sk", s(sk))));
        }
        Set<String> seen = new HashSet<>();
        List<Integer> pageSizes = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(r -> r.tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(pk))).limit(10).exclusiveStartKey(from));
            page.items().forEach(i -> assertThat(seen.add(i.get("sk").s())).isTrue());
            pageSizes.add(page.count());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);

        assertThat(seen).hasSize(25);
        assertThat(pageSizes).startsWith(10, 10, 5);
    }

    @Test
    void everyTemplateTable_hasTtlEnabled_onExpiresAt() {
        for (String name : LocalAws.shared().tables()) {
            var ttl = dynamo.describeTimeToLive(r -> r.tableName(name)).timeToLiveDescription();
            assertThat(ttl.timeToLiveStatus()).as(name).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
            assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        }
    }

    private static TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)).build();
    }

    private static Map<String, AttributeValue> get(String pk, String sk) {
        return dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of("pk", s(pk), "sk", s(sk)))).item();
    }

    private static Map<String, AttributeValue> item(String pk, String sk, String v) {
        return Map.of("pk", s(pk), "sk", s(sk), "v", s(v));
    }

    private static String key() {
        return "contract-" + UUID.randomUUID();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }
}
