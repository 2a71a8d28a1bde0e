package org.territoire.local.bench;

import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts the DynamoDB work a code path really does, from the requests its client sends,
 * and converts it to request units with DynamoDB's rules for items under 1 KB (reads under
 * 4 KB): a write is 1 WRU, a transactional write 2 WRU per item, a strongly consistent read
 * 1 RRU, an eventually consistent one 0.5 RRU; a query is priced on the items it returns.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-unit-calculations.html
 * (The local endpoint reports no consumed capacity, so units are derived, not read back.)
 */
public final class DynamoCallCounter implements ExecutionInterceptor {
    private final LongAdder writeUnits = new LongAdder();
    private final LongAdder halfReadUnits = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder transactionConflicts = new LongAdder();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.increment();
        switch (context.request()) {
            case GetItemRequest get -> halfReadUnits.add(Boolean.TRUE.equals(get.consistentRead()) ? 2 : 1);
            case PutItemRequest put -> writeUnits.add(1);
            case UpdateItemRequest update -> writeUnits.add(1);
            case DeleteItemRequest delete -> writeUnits.add(1);
            case TransactWriteItemsRequest transaction -> {
                writeUnits.add(2L * transaction.transactItems().size());
                transactions.increment();
            }
            default -> { }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof QueryRequest query && context.response() instanceof QueryResponse response) {
            // Small items: one 4 KB read unit covers the whole (short) result page.
            halfReadUnits.add(Boolean.TRUE.equals(query.consistentRead()) ? 2 : 1);
        }
    }

    /** A transaction cancelled because another one was writing the same items (the kernel retries it). */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e
                && e.hasCancellationReasons() && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()))) {
            transactionConflicts.increment();
        }
    }

    public long transactions() {
        return transactions.sum();
    }

    public long transactionConflicts() {
        return transactionConflicts.sum();
    }

    /** A DynamoDB client configured as the functions' own, whose calls this counter counts. */
    public software.amazon.awssdk.services.dynamodb.DynamoDbClient client() {
        return org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), "DYNAMODB")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).overrideConfiguration(o -> o.addExecutionInterceptor(this)).build();
    }

    public void reset() {
        writeUnits.reset();
        halfReadUnits.reset();
        calls.reset();
        transactions.reset();
        transactionConflicts.reset();
    }

    public double writeUnits() {
        return writeUnits.sum();
    }

    public double readUnits() {
        return halfReadUnits.sum() / 2.0;
    }

    public long calls() {
        return calls.sum();
    }
}
