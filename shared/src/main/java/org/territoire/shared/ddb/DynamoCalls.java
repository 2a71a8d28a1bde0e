package org.territoire.shared.ddb;

import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The adapters' common calls, with SDK failures translated (never swallowed). */
public final class DynamoCalls {
    private DynamoCalls() {
    }

    /** Writes all items or none: false when a condition failed or the transaction conflicted, and nothing was written. */
    public static boolean transact(DynamoDbClient dynamo, List<TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(t -> t.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    /** Runs one conditional write: false when its condition failed, and nothing was written. */
    public static boolean conditionally(Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    public static QueryResponse query(DynamoDbClient dynamo, QueryRequest request) {
        try {
            return dynamo.query(request);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
