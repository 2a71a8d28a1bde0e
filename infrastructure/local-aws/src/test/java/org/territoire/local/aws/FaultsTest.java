package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.Faults.Fault;
import org.territoire.local.aws.Faults.Rule;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore.Claim;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The local endpoint's fault mode, and the client-token idempotency of transactions it adds to moto, as the SDK sees them. */
class FaultsTest {
    private static final String TABLE = "FeedbackTable";
    private final LocalAws aws = LocalAws.shared();
    private final DynamoDbClient dynamo = aws.dynamoDb();
    private Faults faults;

    @BeforeEach
    void faultsOfOurOwnEndpoint() {
        assumeTrue(aws.faults().isPresent(), "faults need the project's own endpoint");
        faults = aws.faults().orElseThrow();
    }

    @AfterEach
    void clear() {
        if (faults != null) {
            faults.clear();
        }
    }

    @Test
    void aTransactionConflict_cancelsTheTransaction_withItsReason_andWritesNothing() {
        String pk = "FAULT#" + UUID.randomUUID();
        faults.inject(1, Rule.of("TransactWriteItems", TABLE, Fault.TRANSACTION_CONFLICT, 1.0));

        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.transactItems(add(pk))))
                .isInstanceOfSatisfying(TransactionCanceledException.class, e -> assertThat(e.cancellationReasons())
                        .extracting(software.amazon.awssdk.services.dynamodb.model.CancellationReason::code).contains("TransactionConflict"));
        faults.clear();
        assertThat(counter(pk)).isZero();
    }

    @Test
    void throttling_beyondTheSdksRetries_reachesTheCaller_andOnceRetriedAway_isInvisible() {
        String pk = "FAULT#" + UUID.randomUUID();
        faults.inject(2, new Rule("PutItem", TABLE, Fault.PROVISIONED_THROUGHPUT_EXCEEDED, 1.0, null));
        // Three attempts, not DynamoDB's default of nine with throttling back-off (about 50 s).
        try (DynamoDbClient brief = Aws.configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(Aws.httpClient())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)).build()) {
            assertThatThrownBy(() -> brief.putItem(r -> r.tableName(TABLE).item(key(pk))))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
        }
        assertThat(faults.injected()).containsEntry("ProvisionedThroughputExceeded", 3);

        faults.inject(3, new Rule("PutItem", TABLE, Fault.THROTTLING, 1.0, 1));
        put(pk);
        assertThat(faults.injected()).containsEntry("Throttling", 1);
        assertThat(dynamo.getItem(r -> r.tableName(TABLE).key(key(pk))).hasItem()).isTrue();
    }

    @Test
    void aTransactionWhoseAnswerIsLost_isRetriedByTheSdk_withItsToken_andAppliedOnce() {
        String pk = "FAULT#" + UUID.randomUUID();
        faults.inject(4, new Rule("TransactWriteItems", TABLE, Fault.DROP_AFTER_APPLYING, 1.0, 1));

        dynamo.transactWriteItems(r -> r.transactItems(add(pk)));

        assertThat(faults.injected()).containsEntry("DropAfterApplying", 1);
        assertThat(counter(pk)).as("applied once, not once per attempt").isEqualTo(1);
    }

    @Test
    void aClientToken_reusedForAnotherTransaction_isRefused_asDynamoDbRefusesIt() {
        String token = UUID.randomUUID().toString();
        String pk = "FAULT#" + UUID.randomUUID();
        dynamo.transactWriteItems(r -> r.clientRequestToken(token).transactItems(add(pk)));
        dynamo.transactWriteItems(r -> r.clientRequestToken(token).transactItems(add(pk)));

        assertThat(counter(pk)).isEqualTo(1);
        assertThatThrownBy(() -> dynamo.transactWriteItems(r -> r.clientRequestToken(token).transactItems(add(pk + "-other"))))
                .isInstanceOf(IdempotentParameterMismatchException.class);
    }

    @Test
    void anIdempotencyClaimWhoseAnswerIsLost_isStillOurs_onTheSdksRetry() {
        DynamoIdempotencyStore store = new DynamoIdempotencyStore(dynamo, TABLE, Clock.systemUTC());
        faults.inject(5, new Rule("PutItem", TABLE, Fault.DROP_AFTER_APPLYING, 1.0, 1));

        assertThat(store.claim(UUID.randomUUID().toString(), "fp")).isInstanceOf(Claim.Started.class);
        assertThat(faults.injected()).containsEntry("DropAfterApplying", 1);
    }

    @Test
    void aCreationWhoseAnswerIsLost_isStillReportedAsDone_onTheSdksRetry() {
        String pk = "FAULT#" + UUID.randomUUID();
        faults.inject(7, new Rule("PutItem", TABLE, Fault.DROP_AFTER_APPLYING, 1.0, 1));

        assertThat(org.territoire.shared.ddb.DynamoCalls.putNew(dynamo, TABLE, key(pk))).isTrue();
        assertThat(faults.injected()).containsEntry("DropAfterApplying", 1);
        assertThat(org.territoire.shared.ddb.DynamoCalls.putNew(dynamo, TABLE, key(pk))).as("another creation of that key").isFalse();
    }

    @Test
    void aConnectionClosedBeforeTheRequest_isRetriedByTheSdk() {
        String pk = "FAULT#" + UUID.randomUUID();
        faults.inject(6, new Rule("TransactWriteItems", TABLE, Fault.DROP_BEFORE_APPLYING, 1.0, 1),
                new Rule("TransactWriteItems", TABLE, Fault.INTERNAL_SERVER_ERROR, 1.0, 1));

        dynamo.transactWriteItems(r -> r.transactItems(add(pk)));

        assertThat(faults.injected()).containsEntry("DropBeforeApplying", 1).containsEntry("InternalServerError", 1);
        assertThat(counter(pk)).isEqualTo(1);
    }

    private static TransactWriteItem add(String pk) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key(pk)).updateExpression("ADD n :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
    }

    private void put(String pk) {
        dynamo.putItem(r -> r.tableName(TABLE).item(key(pk)));
    }

    private long counter(String pk) {
        var item = dynamo.getItem(r -> r.tableName(TABLE).consistentRead(true).key(key(pk))).item();
        return item.containsKey("n") ? Long.parseLong(item.get("n").n()) : 0;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS("FAULT"));
    }
}
