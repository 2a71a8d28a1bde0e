package org.territoire.local.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The DynamoDB capacity a code path consumes, two ways, on every call its client makes:
 * <ul>
 * <li><b>reported</b>: each request asks {@code ReturnConsumedCapacity=INDEXES} and the
 * {@code ConsumedCapacity} of each answer is summed (in AWS, what is billed);</li>
 * <li><b>by DynamoDB's rules</b>, from the items themselves, because the local endpoint (moto)
 * answers a fixed figure per call whatever the item's size, the read's consistency or the
 * indexes a write touches: writes by the larger of the item's images, per started KB, plus
 * each global secondary index the write changes (one write to put or delete an index entry,
 * two when its key changes, one when only projected attributes change; nothing when the
 * item is in no index before nor after); transactional writes twice that; reads per started
 * 4 KB of the items read (a query sums the items of its page), half when eventually
 * consistent. The images are read before and after each write with a second, uncounted
 * client, so this meter is for sequential benchmarks, not for concurrent code.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * </ul>
 */
public final class ConsumedCapacityMeter implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<Map<String, AttributeValue>>> BEFORE = new ExecutionAttribute<>("imagesBefore");

    private record Index(String hash, String range) {
    }

    private final DynamoDbClient images;
    private final String table;
    private final List<Index> indexes = new ArrayList<>();
    private final DoubleAdder reportedRead = new DoubleAdder();
    private final DoubleAdder reportedWrite = new DoubleAdder();
    private final DoubleAdder ruleRead = new DoubleAdder();
    private final DoubleAdder ruleWrite = new DoubleAdder();
    private final LongAdder calls = new LongAdder();

    /** {@code images}: an uncounted client on the same endpoint; {@code table}: the one table the code path uses. */
    public ConsumedCapacityMeter(DynamoDbClient images, String table) {
        this.images = images;
        this.table = table;
        images.describeTable(d -> d.tableName(table)).table().globalSecondaryIndexes().forEach(g -> {
            String hash = g.keySchema().stream().filter(k -> k.keyType() == KeyType.HASH).findFirst().orElseThrow().attributeName();
            String range = g.keySchema().stream().filter(k -> k.keyType() == KeyType.RANGE).findFirst().map(k -> k.attributeName()).orElse(null);
            indexes.add(new Index(hash, range)); // every index of the telemetry table projects ALL
        });
    }

    public DynamoDbClient client() {
        return org.territoire.shared.ddb.Aws.configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(org.territoire.shared.ddb.Aws.httpClient())
                .overrideConfiguration(o -> o.addExecutionInterceptor(this)).build();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return switch (context.request()) {
            case PutItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            case UpdateItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            case DeleteItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            case GetItemRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            case QueryRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            case TransactWriteItemsRequest r -> r.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
            default -> context.request();
        };
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.increment();
        List<Map<String, AttributeValue>> keys = keys(context.request());
        if (!keys.isEmpty()) {
            attributes.putAttribute(BEFORE, keys.stream().map(this::image).toList());
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        switch (context.response()) {
            case GetItemResponse r -> {
                reported(r.consumedCapacity(), false);
                boolean consistent = Boolean.TRUE.equals(((GetItemRequest) context.request()).consistentRead());
                ruleRead.add(readUnits(r.hasItem() ? size(r.item()) : 0, consistent));
            }
            case QueryResponse r -> {
                reported(r.consumedCapacity(), false);
                QueryRequest q = (QueryRequest) context.request();
                ruleRead.add(readUnits(r.items().stream().mapToLong(ConsumedCapacityMeter::size).sum(), Boolean.TRUE.equals(q.consistentRead())));
            }
            case PutItemResponse r -> {
                reported(r.consumedCapacity(), true);
                writes(context.request(), attributes, 1, true);
            }
            case UpdateItemResponse r -> {
                reported(r.consumedCapacity(), true);
                writes(context.request(), attributes, 1, true);
            }
            case DeleteItemResponse r -> {
                reported(r.consumedCapacity(), true);
                writes(context.request(), attributes, 1, true);
            }
            case TransactWriteItemsResponse r -> {
                if (r.hasConsumedCapacity()) {
                    r.consumedCapacity().forEach(c -> reported(c, true));
                }
                writes(context.request(), attributes, 2, true);
            }
            default -> { }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // A write whose condition failed still consumes the units of the item it was checked against (at least one).
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        if (before != null) {
            int factor = context.request() instanceof TransactWriteItemsRequest ? 2 : 1;
            before.forEach(old -> ruleWrite.add(factor * Math.max(1, writeUnits(size(old)))));
        }
    }

    private void writes(SdkRequest request, ExecutionAttributes attributes, int factor, boolean applied) {
        List<Map<String, AttributeValue>> before = attributes.getAttribute(BEFORE);
        List<Map<String, AttributeValue>> keys = keys(request);
        for (int i = 0; i < keys.size(); i++) {
            Map<String, AttributeValue> old = before.get(i);
            Map<String, AttributeValue> now = image(keys.get(i));
            if (isConditionCheck(request, i)) {
                ruleWrite.add(factor * Math.max(1, writeUnits(size(old))));
                continue;
            }
            double units = Math.max(1, writeUnits(Math.max(size(old), size(now))));
            for (Index index : indexes) {
                boolean inOld = in(index, old);
                boolean inNew = in(index, now);
                if (!inOld && inNew) {
                    units += writeUnits(size(now));
                } else if (inOld && !inNew) {
                    units += writeUnits(size(old));
                } else if (inOld) {
                    boolean keyChanged = !Objects.equals(old.get(index.hash), now.get(index.hash))
                            || (index.range != null && !Objects.equals(old.get(index.range), now.get(index.range)));
                    if (keyChanged) {
                        units += writeUnits(size(old)) + writeUnits(size(now));
                    } else if (!old.equals(now)) {
                        units += writeUnits(size(now));
                    }
                }
            }
            ruleWrite.add(factor * units);
        }
    }

    private static boolean isConditionCheck(SdkRequest request, int i) {
        return request instanceof TransactWriteItemsRequest t && t.transactItems().get(i).conditionCheck() != null;
    }

    private boolean in(Index index, Map<String, AttributeValue> item) {
        return !item.isEmpty() && item.containsKey(index.hash) && (index.range == null || item.containsKey(index.range));
    }

    private List<Map<String, AttributeValue>> keys(SdkRequest request) {
        return switch (request) {
            case PutItemRequest r -> List.of(Map.of("pk", r.item().get("pk"), "sk", r.item().get("sk")));
            case UpdateItemRequest r -> List.of(r.key());
            case DeleteItemRequest r -> List.of(r.key());
            case TransactWriteItemsRequest r -> r.transactItems().stream().map(t -> t.put() != null
                    ? Map.of("pk", t.put().item().get("pk"), "sk", t.put().item().get("sk"))
                    : t.update() != null ? t.update().key() : t.delete() != null ? t.delete().key() : t.conditionCheck().key()).toList();
            case BatchWriteItemRequest r -> List.of();
            default -> List.of();
        };
    }

    private Map<String, AttributeValue> image(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = images.getItem(g -> g.tableName(table).key(key).consistentRead(true)).item();
        return item == null ? Map.of() : new HashMap<>(item);
    }

    private void reported(ConsumedCapacity c, boolean write) {
        if (c == null) {
            return;
        }
        double units = c.capacityUnits() == null ? 0 : c.capacityUnits();
        (write ? reportedWrite : reportedRead).add(units);
    }

    private static double writeUnits(long bytes) {
        return Math.ceil(bytes / 1024.0);
    }

    private static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, Math.ceil(bytes / 4096.0));
        return consistent ? units : units / 2;
    }

    /** An item's size as DynamoDB counts it: attribute names plus values (numbers about a byte per two digits). */
    static long size(Map<String, AttributeValue> item) {
        long total = 0;
        for (var e : item.entrySet()) {
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
        }
        return total;
    }

    private static long size(AttributeValue v) {
        if (v.s() != null) {
            return v.s().getBytes(StandardCharsets.UTF_8).length;
        }
        if (v.n() != null) {
            String digits = v.n().replace("-", "").replace(".", "").replaceFirst("^0+", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasM()) {
            long total = 3;
            for (var e : v.m().entrySet()) {
                total += e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue()) + 1;
            }
            return total;
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(x -> size(x) + 1).sum();
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        return 1;
    }

    public void reset() {
        reportedRead.reset();
        reportedWrite.reset();
        ruleRead.reset();
        ruleWrite.reset();
        calls.reset();
    }

    public double reportedReadUnits() {
        return reportedRead.sum();
    }

    public double reportedWriteUnits() {
        return reportedWrite.sum();
    }

    public double readUnits() {
        return ruleRead.sum();
    }

    public double writeUnits() {
        return ruleWrite.sum();
    }

    public long calls() {
        return calls.sum();
    }
}
