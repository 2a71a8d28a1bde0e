package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.feedback.evaluation.Evaluation;
import org.territoire.feedback.evaluation.EvaluationRepository;
import org.territoire.feedback.evaluation.Summary;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Evaluations in the feedback table:
 * <pre>
 *   SERVICE#id   EVAL#author   an evaluation (GSI1 while visible: EVALS#id, by updatedAt#handle;
 *                              GSI2: EVALS#H#id#handle, its author's handle in this service)
 *   SERVICE#id   SUMMARY       count, sum, r1..r5
 * </pre>
 * Each change is one transaction: the evaluation, under a condition on the rating it
 * replaces, and the summary's counters, moved by ADD.
 *
 * <p>The public list's page token must not carry the author's id, which DynamoDB's
 * LastEvaluatedKey would (it holds the table's key, {@code EVAL#author}). So the list pages by
 * key condition instead: the token holds the last {@code updatedAt#handle} seen, and the next
 * page asks for the sort keys below it.
 */
public final class DynamoEvaluationRepository implements EvaluationRepository {
    private static final String AFTER = "after";
    private static final java.time.format.DateTimeFormatter SORTABLE = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoEvaluationRepository(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public boolean add(Evaluation e) {
        Map<String, AttributeValue> item = new HashMap<>(key(e.serviceId(), e.authorId()));
        item.put("type", s("EVALUATION"));
        item.put("serviceId", s(e.serviceId()));
        item.put("authorId", s(e.authorId()));
        item.put("handle", s(e.handle()));
        item.put("gsi2pk", s(handlePartition(e.serviceId(), e.handle())));
        item.put("rating", n(e.rating()));
        if (e.comment() != null) {
            item.put("comment", s(e.comment()));
        }
        item.put("createdAt", s(e.createdAt().toString()));
        item.put("updatedAt", s(e.updatedAt().toString()));
        item.put("hidden", AttributeValue.fromBool(false));
        item.put("gsi1pk", s("EVALS#" + e.serviceId()));
        item.put("gsi1sk", s(listKey(e.updatedAt(), e.handle())));
        // Refused if the author's account was erased meanwhile (their token outlived it): see Erasures.
        return org.territoire.shared.accounts.Erasures.transactUnlessErased(dynamo, table, e.authorId(), List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build(),
                summaryDelta(e.serviceId(), 1, e.rating(), Map.of(e.rating(), 1))));
    }

    @Override
    public boolean change(Evaluation current, int rating, String comment, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":old", n(current.rating()), ":new", n(rating),
                ":f", AttributeValue.fromBool(false), ":at", s(at.toString()), ":sk", s(listKey(at, current.handle())),
                ":h", s(current.handle()), ":hk", s(handlePartition(current.serviceId(), current.handle()))));
        // Setting the handle again also indexes an evaluation written before handles were.
        String update = "SET rating = :new, updatedAt = :at, gsi1sk = :sk, handle = :h, gsi2pk = :hk";
        if (comment != null) {
            update += ", #comment = :comment";
            values.put(":comment", s(comment));
        } else {
            update += " REMOVE #comment";
        }
        String expression = update;
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(current.serviceId(), current.authorId()))
                .updateExpression(expression).conditionExpression("rating = :old AND #hidden = :f")
                .expressionAttributeNames(Map.of("#comment", "comment", "#hidden", "hidden")).expressionAttributeValues(values)).build());
        if (rating != current.rating()) {
            items.add(summaryDelta(current.serviceId(), 0, rating - current.rating(), Map.of(current.rating(), -1, rating, 1)));
        }
        return commit(items);
    }

    @Override
    public boolean withdraw(Evaluation current) {
        if (current.hidden()) {
            // Its rating already left the summary when it was hidden.
            return commit(List.of(TransactWriteItem.builder().delete(d -> d.tableName(table)
                    .key(key(current.serviceId(), current.authorId())).conditionExpression("#hidden = :t")
                    .expressionAttributeNames(Map.of("#hidden", "hidden"))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)))).build()));
        }
        return commit(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(current.serviceId(), current.authorId()))
                        .conditionExpression("rating = :r AND #hidden = :f").expressionAttributeNames(Map.of("#hidden", "hidden"))
                        .expressionAttributeValues(Map.of(":r", n(current.rating()), ":f", AttributeValue.fromBool(false)))).build(),
                summaryDelta(current.serviceId(), -1, -current.rating(), Map.of(current.rating(), -1))));
    }

    @Override
    public boolean hide(Evaluation current, String reason, Instant at) {
        return commit(List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(current.serviceId(), current.authorId()))
                        // It leaves GSI1 (the list) and stays in GSI2 (found by its handle), which shares gsi1sk.
                        .updateExpression("SET #hidden = :t, hiddenReason = :reason, hiddenAt = :at REMOVE gsi1pk")
                        .conditionExpression("rating = :r AND #hidden = :f").expressionAttributeNames(Map.of("#hidden", "hidden"))
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":f", AttributeValue.fromBool(false),
                                ":r", n(current.rating()), ":reason", s(reason), ":at", s(at.toString())))).build(),
                summaryDelta(current.serviceId(), -1, -current.rating(), Map.of(current.rating(), -1))));
    }

    @Override
    public boolean reply(String serviceId, String authorId, String reply, Instant at) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(serviceId, authorId))
                .updateExpression("SET reply = :reply, repliedAt = :at").conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":reply", s(reply), ":at", s(at.toString())))));
    }

    @Override
    public Optional<Evaluation> find(String serviceId, String authorId) {
        return DynamoCalls.get(dynamo, table, key(serviceId, authorId)).map(DynamoEvaluationRepository::evaluation);
    }

    @Override
    public Optional<Evaluation> findByHandle(String serviceId, String handle) {
        // GSI2 is eventually consistent: re-read the item itself, strongly, by its key.
        QueryResponse found = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName("GSI2").limit(1)
                .keyConditionExpression("gsi2pk = :p").expressionAttributeValues(Map.of(":p", s(handlePartition(serviceId, handle))))
                .build());
        return found.items().stream().findFirst().flatMap(i -> find(serviceId, i.get("authorId").s()));
    }

    @Override
    public List<Evaluation> withoutHandle(String serviceId) {
        // Read strongly: these are few (none once each has been addressed or changed) and none may be missed.
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :p AND begins_with(sk, :e)").filterExpression("attribute_not_exists(handle)")
                        .expressionAttributeValues(Map.of(":p", s(ServiceItem.pkOf(serviceId)), ":e", s("EVAL#"))).build())
                .stream().map(DynamoEvaluationRepository::evaluation).toList();
    }

    @Override
    public boolean assignHandle(Evaluation legacy, String handle) {
        String serviceId = legacy.serviceId();
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(serviceId, legacy.authorId()))
                // GSI2 sorts on gsi1sk: an item without one would stay out of it.
                .updateExpression("SET handle = :h, gsi2pk = :hk, gsi1sk = if_not_exists(gsi1sk, :sk)")
                .conditionExpression("attribute_exists(pk) AND attribute_not_exists(handle)")
                .expressionAttributeValues(Map.of(":h", s(handle), ":hk", s(handlePartition(serviceId, handle)),
                        ":sk", s(listKey(legacy.updatedAt(), handle))))));
    }

    @Override
    public Page<Evaluation> visible(String serviceId, int limit, Optional<String> pageToken) {
        String scope = "evaluations?service=" + serviceId;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s("EVALS#" + serviceId)));
        String condition = "gsi1pk = :p";
        Optional<AttributeValue> after = tokens.decode(scope, pageToken).map(k -> k.get(AFTER));
        if (pageToken.isPresent() && (after.isEmpty() || after.get().s() == null)) {
            // Signed for this list but without a position: issued before the list paged this way.
            throw DomainError.invalid(PageTokens.FIELD, "is not a token this list issued");
        }
        if (after.isPresent()) {
            condition += " AND gsi1sk < :after";
            values.put(":after", after.get());
        }
        QueryResponse page = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName("GSI1").limit(limit)
                .scanIndexForward(false).keyConditionExpression(condition).expressionAttributeValues(values).build());
        String next = null;
        if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() && !page.items().isEmpty()) {
            next = tokens.encode(scope, Map.of(AFTER, page.items().get(page.items().size() - 1).get("gsi1sk")));
        }
        return new Page<>(page.items().stream().map(DynamoEvaluationRepository::evaluation).toList(), next);
    }

    @Override
    public Summary summary(String serviceId) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                    .key(Map.of("pk", s(ServiceItem.pkOf(serviceId)), "sk", s("SUMMARY")))).item();
            List<Long> histogram = new ArrayList<>();
            for (int star = 1; star <= 5; star++) {
                histogram.add(number(item, "r" + star));
            }
            return Summary.of(number(item, "count"), number(item, "sum"), histogram);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** ADDs to the service's summary: count, sum of ratings, and per-star counts. */
    private TransactWriteItem summaryDelta(String serviceId, int count, int sum, Map<Integer, Integer> stars) {
        StringBuilder update = new StringBuilder("ADD #count :count, #sum :sum");
        Map<String, String> names = new HashMap<>(Map.of("#count", "count", "#sum", "sum"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":count", n(count), ":sum", n(sum)));
        stars.forEach((star, delta) -> {
            update.append(", r").append(star).append(" :r").append(star);
            values.put(":r" + star, n(delta));
        });
        return TransactWriteItem.builder().update(u -> u.tableName(table)
                .key(Map.of("pk", s(ServiceItem.pkOf(serviceId)), "sk", s("SUMMARY")))
                .updateExpression(update.toString()).expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /** False when the evaluation's condition failed (taken, changed or withdrawn meanwhile). */
    private boolean commit(List<TransactWriteItem> items) {
        return DynamoCalls.transact(dynamo, items);
    }

    private static Evaluation evaluation(Map<String, AttributeValue> i) {
        return new Evaluation(i.get("serviceId").s(), i.get("authorId").s(), str(i, "handle"), Integer.parseInt(i.get("rating").n()),
                str(i, "comment"), Instant.parse(i.get("createdAt").s()), Instant.parse(i.get("updatedAt").s()), str(i, "reply"),
                i.containsKey("repliedAt") ? Instant.parse(i.get("repliedAt").s()) : null,
                i.containsKey("hidden") && i.get("hidden").bool(), str(i, "hiddenReason"));
    }

    /** The list's sort key: the time in fixed width, so that text order is time order, then the handle. */
    private static String listKey(Instant updatedAt, String handle) {
        return SORTABLE.format(updatedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) + "#" + handle;
    }

    private static String handlePartition(String serviceId, String handle) {
        return "EVALS#H#" + serviceId + "#" + handle;
    }

    private static Map<String, AttributeValue> key(String serviceId, String authorId) {
        return Map.of("pk", s(ServiceItem.pkOf(serviceId)), "sk", s("EVAL#" + authorId));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name) ? 0 : Long.parseLong(item.get(name).n());
    }
}
