package org.territoire.shared.ddb;

import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * A storage failure, translated from the SDK by an adapter: the table throttled us or could
 * not be reached (retryable, answered 503), or something unexpected happened.
 */
public final class StorageException extends RuntimeException {
    private static final Set<String> THROTTLING = Set.of("ProvisionedThroughputExceededException",
            "ThrottlingException", "RequestLimitExceeded", "LimitExceededException", "InternalServerError",
            "ServiceUnavailable", "TransactionConflictException");

    private final boolean retryable;

    private StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Retryable: the items were busy with other writes for longer than we waited. */
    public static StorageException busy(String message, Throwable cause) {
        return new StorageException(message, true, cause);
    }

    /** Never swallows: every SDK failure becomes a StorageException that the handler answers. */
    public static StorageException from(SdkException e) {
        if (e instanceof SdkClientException) {
            return new StorageException("storage unreachable: " + e.getMessage(), true, e);
        }
        if (e instanceof DynamoDbException dynamo) {
            String code = dynamo.awsErrorDetails() == null ? "" : dynamo.awsErrorDetails().errorCode();
            boolean retry = THROTTLING.contains(code) || dynamo.statusCode() >= 500 || dynamo.isThrottlingException();
            return new StorageException("storage error " + code, retry, e);
        }
        return new StorageException("storage error", e.retryable(), e);
    }
}
