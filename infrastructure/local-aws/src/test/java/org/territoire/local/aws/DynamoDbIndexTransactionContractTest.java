package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What the local endpoint's patches of moto touch (infrastructure/local/moto_patches.py): queries
 * that read only their partition or GSI bucket, GSI buckets kept current by every kind of write,
 * and transactions that roll back from an undo log instead of a copy of the table. Like
 * DynamoDbContractTest, these hold against real DynamoDB too (TERRITOIRE_AWS_ENDPOINT), except
 * the two tests about moto itself. Each test works on keys of its own.
 */
class DynamoDbIndexTransactionContractTest {
    private static final String TABLE = "FeedbackTable";
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void endpoint() {
        dynamo = LocalAws.shared().dynamoDb();
    }

    @Test
    void baseTableQuery_keepsSortKeyOrderAcrossPages_forwardAndBackward() {
        String pk = key();
        List<String> sks = IntStream.range(0, 23).mapToObj(i -> String.format("S#%02d", (i * 7) % 23)).toList();
        for (String sk : sks) {
            dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s(sk))));
        }
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk + "-other"), "sk", s("S#00"))));
        List<String> sorted = sks.stream().sorted().toList();

        QueryRequest.Builder query = QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk)));
        assertThat(pages(query.scanIndexForward(true), 5, "sk")).containsExactlyElementsOf(sorted);
        assertThat(pages(query.scanIndexForward(false), 5, "sk")).containsExactlyElementsOf(sorted.reversed());
    }

    @Test
    void sortKeyConditions_selectTheirRunOfThePartition_inOrderAcrossPages_forwardAndBackward() {
        // The endpoint cuts a base-table partition to the run a sort key condition selects (patch 2).
        String pk = key();
        List<String> sks = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            sks.add(String.format("R#%03d", (i * 37) % 120));
        }
        sks.addAll(List.of("H#001", "H#002", "LATEST", "R#", "R#~", "Ré#1"));
        for (List<String> chunk : List.of(sks.subList(0, 25), sks.subList(25, 50), sks.subList(50, 75), sks.subList(75, 100),
                sks.subList(100, sks.size()))) {
            dynamo.batchWriteItem(r -> r.requestItems(Map.of(TABLE, chunk.stream().map(sk -> software.amazon.awssdk.services.dynamodb.model.WriteRequest
                    .builder().putRequest(p -> p.item(Map.of("pk", s(pk), "sk", s(sk)))).build()).toList())));
        }
        List<String> sorted = sks.stream().sorted().toList();
        record Case(String condition, Map<String, AttributeValue> values, java.util.function.Predicate<String> selects) {
        }
        List<Case> cases = List.of(
                new Case("sk BETWEEN :a AND :b", Map.of(":a", s("R#010"), ":b", s("R#059")), k -> k.compareTo("R#010") >= 0 && k.compareTo("R#059") <= 0),
                new Case("begins_with(sk, :a)", Map.of(":a", s("R#")), k -> k.startsWith("R#")),
                new Case("sk < :a", Map.of(":a", s("R#005")), k -> k.compareTo("R#005") < 0),
                new Case("sk <= :a", Map.of(":a", s("R#005")), k -> k.compareTo("R#005") <= 0),
                new Case("sk > :a", Map.of(":a", s("R#115")), k -> k.compareTo("R#115") > 0),
                new Case("sk >= :a", Map.of(":a", s("R#115")), k -> k.compareTo("R#115") >= 0),
                new Case("sk = :a", Map.of(":a", s("R#042")), k -> k.equals("R#042")),
                new Case("sk BETWEEN :a AND :b", Map.of(":a", s("Q"), ":b", s("Q~")), k -> false));
        for (Case c : cases) {
            Map<String, AttributeValue> values = new java.util.HashMap<>(c.values());
            values.put(":pk", s(pk));
            QueryRequest.Builder query = QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk AND " + c.condition())
                    .expressionAttributeValues(values);
            List<String> want = sorted.stream().filter(c.selects()).toList();
            for (int pageSize : new int[] {1, 7, want.isEmpty() ? 5 : want.size(), 200}) {
                assertThat(pages(query.scanIndexForward(true), pageSize, "sk")).as(c.condition() + " by " + pageSize).containsExactlyElementsOf(want);
                assertThat(pages(query.scanIndexForward(false), pageSize, "sk")).as(c.condition() + " backward by " + pageSize)
                        .containsExactlyElementsOf(want.reversed());
            }
            assertThat(dynamo.query(query.scanIndexForward(true).limit(1000).build()).scannedCount()).as(c.condition()).isEqualTo(want.size());
        }
    }

    @Test
    void sortKeyOrder_followsEveryKindOfWrite_evenBetweenTwoPagesOfOneQuery() {
        // Locally a partition keeps its sort keys sorted on every write and a page is found by
        // bisection (patch 2): each kind of write must keep that order, and a page read after
        // writes continues after its start key, as DynamoDB's does.
        String pk = key();
        for (String sk : List.of("C", "A", "J", "E", "G", "B", "I", "D", "F", "H")) {
            dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s(sk))));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk AND sk > :a")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":a", s("A")));
        QueryResponse first = dynamo.query(query.limit(3).build());
        assertThat(first.items()).extracting(i -> i.get("sk").s()).containsExactly("B", "C", "D");

        dynamo.deleteItem(r -> r.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("E"))));
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("BB"))));  // before the start key
        dynamo.updateItem(r -> r.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("EE"))).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("created by an update"))));
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(TABLE, List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of("pk", s(pk), "sk", s("K"))).build()).build(),
                WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(Map.of("pk", s(pk), "sk", s("H"))).build()).build()))));
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("FF")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("G")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("I")))
                        .conditionExpression("attribute_not_exists(pk)")).build())))
                .isInstanceOf(TransactionCanceledException.class);  // rolled back: FF never there, G still there
        dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("GG")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("J")))).build()));

        List<String> rest = new ArrayList<>();
        Map<String, AttributeValue> start = first.lastEvaluatedKey();
        do {
            QueryResponse page = dynamo.query(query.limit(3).exclusiveStartKey(start).build());
            page.items().forEach(i -> rest.add(i.get("sk").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        assertThat(rest).containsExactly("EE", "F", "G", "GG", "I", "K");
        query.exclusiveStartKey(null);
        List<String> all = List.of("A", "B", "BB", "C", "D", "EE", "F", "G", "GG", "I", "K");
        assertThat(pages(QueryRequest.builder().tableName(TABLE).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk))).scanIndexForward(false), 4, "sk")).containsExactlyElementsOf(all.reversed());
    }

    @Test
    void oneConditionExpression_isJudgedWithTheValuesAndNamesOfEachRequest() {
        // The endpoint parses a condition once per expression, names and values (patch 5): a
        // condition met with one set of values must not be taken as met with another.
        String pk = key();
        Map<String, AttributeValue> id = Map.of("pk", s(pk), "sk", s("X"));
        String condition = "attribute_not_exists(#c) OR #c < :cap";
        java.util.function.BiFunction<String, Integer, Boolean> increment = (attribute, cap) -> {
            try {
                dynamo.updateItem(r -> r.tableName(TABLE).key(id).updateExpression("ADD #c :one").conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#c", attribute)).expressionAttributeValues(Map.of(":one", n(1), ":cap", n(cap))));
                return true;
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
                return false;
            }
        };
        assertThat(List.of(increment.apply("n", 2), increment.apply("n", 2), increment.apply("n", 2), increment.apply("n", 3),
                increment.apply("m", 1), increment.apply("m", 1), increment.apply("n", 3)))
                .containsExactly(true, true, false, true, true, false, false);
        assertThat(get(pk)).containsEntry("n", n(3)).containsEntry("m", n(1));

        // In a transaction, the same condition and values on two items: each judged on its own item.
        String other = key();
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(other), "sk", s("X"), "n", n(0))));
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                countUpTo(other, 3), countUpTo(pk, 3))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                        .extracting(CancellationReason::code).containsExactly("None", "ConditionalCheckFailed"));
        assertThat(get(other)).containsEntry("n", n(0));

        // An unused value or name is refused every time, also once the expression was parsed
        // (the handler checks what the parser reports as used).
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> dynamo.updateItem(r -> r.tableName(TABLE).key(id).updateExpression("ADD #c :one")
                    .conditionExpression(condition).expressionAttributeNames(Map.of("#c", "n"))
                    .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(9), ":unused", n(1)))))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ValidationException"));
            assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(TransactWriteItem.builder().put(p -> p
                    .tableName(TABLE).item(Map.of("pk", s(key()), "sk", s("X"))).conditionExpression("attribute_not_exists(pk)")
                    .expressionAttributeNames(Map.of("#unused", "u"))).build())))
                    .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ValidationException"));
        }
        assertThat(get(pk)).containsEntry("n", n(3));
    }

    @Test
    void oneUpdateExpression_appliesTheValuesOfEachRequest_toItsOwnItem() {
        // One parsed tree per update expression serves every write of it (patch 5).
        String expression = "SET m.#k = :v, v = :v ADD n :one REMOVE gone";
        List<String> keys = List.of(key(), key(), key());
        for (String pk : keys) {
            dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("X"), "m", AttributeValue.fromM(Map.of()),
                    "gone", s("x"))));
        }
        for (int round = 0; round < 3; round++) {
            for (String pk : keys) {
                String value = pk + "/" + round;
                dynamo.updateItem(r -> r.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("X"))).updateExpression(expression)
                        .expressionAttributeNames(Map.of("#k", "k" + keys.indexOf(pk)))
                        .expressionAttributeValues(Map.of(":v", s(value), ":one", n(1))));
            }
        }
        for (String pk : keys) {
            assertThat(get(pk)).containsEntry("v", s(pk + "/2")).containsEntry("n", n(3)).doesNotContainKey("gone")
                    .containsEntry("m", AttributeValue.fromM(Map.of("k" + keys.indexOf(pk), s(pk + "/2"))));
        }
    }

    @Test
    void gsiQuery_keepsIndexSortKeyOrderAcrossPages_tiesBrokenByTheTableKey_forwardAndBackward() {
        String partition = "CONTRACT#" + key();
        for (int i = 0; i < 17; i++) {
            String gsk = String.format("G#%02d", i % 6);  // ties: several items share an index sort key
            String pk = String.format("%s-%02d", key(), i);
            dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("X"), "gsi1pk", s(partition),
                    "gsi1sk", s(gsk))));
        }
        QueryRequest.Builder query = QueryRequest.builder().tableName(TABLE).indexName("GSI1")
                .keyConditionExpression("gsi1pk = :p").expressionAttributeValues(Map.of(":p", s(partition)));

        List<String> forward = pages(query.scanIndexForward(true), 4, "gsi1sk");
        List<String> backward = pages(query.scanIndexForward(false), 4, "gsi1sk");
        assertThat(forward).hasSize(17).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(backward).containsExactlyElementsOf(forward.reversed());
        List<String> forwardKeys = pages(query.scanIndexForward(true), 4, "pk");
        assertThat(forwardKeys).doesNotHaveDuplicates().hasSize(17);
        assertThat(pages(query.scanIndexForward(false), 4, "pk")).containsExactlyElementsOf(forwardKeys.reversed());
    }

    @Test
    void gsiItems_followTheirKeyAttributes_throughPutUpdateDeleteAndBatch() {
        String a = "CONTRACT#" + key();
        String b = "CONTRACT#" + key();
        String pk = key();
        Map<String, AttributeValue> id = Map.of("pk", s(pk), "sk", s("X"));

        dynamo.putItem(r -> r.tableName(TABLE).item(withGsi(pk, "X", a, "1")));
        assertThat(inGsi(a)).containsExactly(pk);

        dynamo.putItem(r -> r.tableName(TABLE).item(withGsi(pk, "X", b, "1")));  // a put replacing the item moves it
        assertThat(inGsi(a)).isEmpty();
        assertThat(inGsi(b)).containsExactly(pk);

        dynamo.updateItem(r -> r.tableName(TABLE).key(id).updateExpression("SET gsi1pk = :a")
                .expressionAttributeValues(Map.of(":a", s(a))));
        assertThat(inGsi(a)).containsExactly(pk);
        assertThat(inGsi(b)).isEmpty();

        String arn = dynamo.describeTable(r -> r.tableName(TABLE)).table().tableArn();  // a table named by its ARN
        dynamo.updateItem(r -> r.tableName(arn).key(id).updateExpression("REMOVE gsi1pk"));
        assertThat(inGsi(a)).isEmpty();

        dynamo.updateItem(r -> r.tableName(TABLE).key(id).updateExpression("SET gsi1pk = :b")
                .expressionAttributeValues(Map.of(":b", s(b))));
        assertThat(inGsi(b)).containsExactly(pk);

        String created = key();  // an update that creates its item puts it in the index too
        dynamo.updateItem(r -> r.tableName(TABLE).key(Map.of("pk", s(created), "sk", s("X")))
                .updateExpression("SET gsi1pk = :b, gsi1sk = :s").expressionAttributeValues(Map.of(":b", s(b), ":s", s("2"))));
        assertThat(inGsi(b)).containsExactly(pk, created);

        dynamo.deleteItem(r -> r.tableName(TABLE).key(id));
        assertThat(inGsi(b)).containsExactly(created);

        String batched = key();
        dynamo.batchWriteItem(r -> r.requestItems(Map.of(TABLE, List.of(
                WriteRequest.builder().putRequest(PutRequest.builder().item(withGsi(batched, "X", b, "0")).build()).build(),
                WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                        .key(Map.of("pk", s(created), "sk", s("X"))).build()).build()))));
        assertThat(inGsi(b)).containsExactly(batched);
    }

    @Test
    void gsiItems_followTransactions_andARolledBackTransactionLeavesTheIndexAsItWas() {
        String a = "CONTRACT#" + key();
        String b = "CONTRACT#" + key();
        String moved = key();
        String deleted = key();
        dynamo.putItem(r -> r.tableName(TABLE).item(withGsi(moved, "X", a, "1")));
        dynamo.putItem(r -> r.tableName(TABLE).item(withGsi(deleted, "X", a, "2")));
        String blocker = key();
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(blocker), "sk", s("X"))));
        String added = key();

        // Rolled back: the last item's condition fails after the others were checked (and, locally, applied).
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                update(moved, "SET gsi1pk = :b", Map.of(":b", s(b))),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("pk", s(deleted), "sk", s("X")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(withGsi(added, "X", b, "3"))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(blocker), "sk", s("X")))
                        .conditionExpression("attribute_not_exists(pk)")).build())))
                .isInstanceOf(TransactionCanceledException.class);
        assertThat(inGsi(a)).containsExactly(moved, deleted);
        assertThat(inGsi(b)).isEmpty();
        assertThat(get(added)).isEmpty();

        dynamo.transactWriteItems(r -> r.transactItems(
                update(moved, "SET gsi1pk = :b", Map.of(":b", s(b))),
                TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("pk", s(deleted), "sk", s("X")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(withGsi(added, "X", b, "3"))).build()));
        assertThat(inGsi(a)).isEmpty();
        assertThat(inGsi(b)).containsExactly(moved, added);
    }

    @Test
    void cancellationReasons_comeOnePerItemInOrder_withTheOldItemOnlyWhenAskedFor() {
        String held = key();
        String other = key();
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(held), "sk", s("X"), "v", s("held"))));
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(other), "sk", s("X"), "v", s("other"))));
        String fresh = key();

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(fresh), "sk", s("X")))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(held), "sk", s("X")))
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE).key(Map.of("pk", s(other), "sk", s("X")))
                        .conditionExpression("v = :x").expressionAttributeValues(Map.of(":x", s("nope")))).build(),
                update(key(), "SET v = :v", Map.of(":v", s("new"))))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> {
                    assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                            .containsExactly("None", "ConditionalCheckFailed", "ConditionalCheckFailed", "None");
                    assertThat(e.cancellationReasons().get(1).item()).containsEntry("v", s("held"));
                    assertThat(e.cancellationReasons().get(2).hasItem()).isFalse();
                });
        assertThat(get(fresh)).as("no partial write").isEmpty();
        assertThat(get(held)).containsEntry("v", s("held"));
    }

    @Test
    void aFailureWhileApplying_rollsBackEverythingAppliedBefore() {
        String created = key();
        String changed = key();
        String broken = key();
        String partition = "CONTRACT#" + key();
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(changed), "sk", s("X"), "n", n(1))));
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(broken), "sk", s("X"), "v", s("text"))));

        // The last update is refused only when applied: an attribute value the expression names is missing.
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(withGsi(created, "X", partition, "1"))).build(),
                update(changed, "SET n = :two, gsi1pk = :p, gsi1sk = :s", Map.of(":two", n(2), ":p", s(partition), ":s", s("2"))),
                update(broken, "SET v = :missing", Map.of(":other", s("x"))))))
                .isInstanceOf(DynamoDbException.class);
        assertThat(get(created)).isEmpty();
        assertThat(get(changed)).containsEntry("n", n(1)).doesNotContainKey("gsi1pk");
        assertThat(get(broken)).containsEntry("v", s("text"));
        assertThat(inGsi(partition)).isEmpty();
    }

    @Test
    void twoOperationsOnOneItem_andMoreThan100Items_areRefused_withNothingApplied() {
        String first = key();
        String twice = key();
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(first), "sk", s("X")))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(twice), "sk", s("X")))).build(),
                update(twice, "SET v = :v", Map.of(":v", s("again"))))))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
        assertThat(get(first)).isEmpty();
        assertThat(get(twice)).isEmpty();

        String prefix = key();
        List<TransactWriteItem> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            String pk = prefix + "-" + i;
            many.add(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("X")))).build());
        }
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(many)))
                .isInstanceOfSatisfying(DynamoDbException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
        assertThat(get(prefix + "-0")).isEmpty();
    }

    @Test
    void motoInternals_areTheOnesThePatchesWereWrittenFor() throws Exception {
        assumeTrue(LocalAws.shared().faults().isPresent(), "about the project's own endpoint");
        Path root = ProjectRoot.find();
        Process check = new ProcessBuilder(root.resolve(".venv/bin/python").toString(),
                root.resolve("infrastructure/local/moto_patches.py").toString(), "--check")
                .redirectErrorStream(true).start();
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("moto 5.2.5");
    }

    @Test
    void theEndpoint_keepsNoInstanceOfWhatItStores() throws IOException, InterruptedException {
        assumeTrue(LocalAws.shared().faults().isPresent(), "about the project's own endpoint");
        String pk = key();
        dynamo.putItem(r -> r.tableName(TABLE).item(Map.of("pk", s(pk), "sk", s("X"))));
        dynamo.getItem(r -> r.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("X"))));
        // moto's dashboard lists the instances it tracks: none, since nothing is tracked.
        URI data = LocalAws.shared().url().resolve("/moto-api/data.json");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(data).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("\"Item\": []").doesNotContain(pk);
    }

    private static List<String> pages(QueryRequest.Builder query, int pageSize, String attribute) {
        List<String> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(query.limit(pageSize).exclusiveStartKey(start).build());
            page.items().forEach(i -> seen.add(i.get(attribute).s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        query.exclusiveStartKey(null);
        return seen;
    }

    /** The table keys in GSI1 under {@code partition}, in index order. */
    private static List<String> inGsi(String partition) {
        return dynamo.query(r -> r.tableName(TABLE).indexName("GSI1").keyConditionExpression("gsi1pk = :p")
                        .expressionAttributeValues(Map.of(":p", s(partition))))
                .items().stream().map(i -> i.get("pk").s()).toList();
    }

    private static TransactWriteItem countUpTo(String pk, int cap) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("X")))
                .updateExpression("ADD n :one").conditionExpression("attribute_not_exists(n) OR n < :cap")
                .expressionAttributeValues(Map.of(":one", n(1), ":cap", n(cap)))).build();
    }

    private static TransactWriteItem update(String pk, String expression, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s("X")))
                .updateExpression(expression).expressionAttributeValues(values)).build();
    }

    private static Map<String, AttributeValue> withGsi(String pk, String sk, String gsiPk, String gsiSk) {
        return Map.of("pk", s(pk), "sk", s(sk), "gsi1pk", s(gsiPk), "gsi1sk", s(gsiSk));
    }

    private static Map<String, AttributeValue> get(String pk) {
        return dynamo.getItem(r -> r.tableName(TABLE).consistentRead(true).key(Map.of("pk", s(pk), "sk", s("X")))).item();
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
