package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore.Claim;

/** The kernel's idempotency store against the local endpoint. */
class DynamoIdempotencyStoreTest {
    private final LocalAws aws = LocalAws.shared();
    private final DynamoIdempotencyStore store = new DynamoIdempotencyStore(aws.dynamoDb(), "FeedbackTable", Clock.systemUTC());

    @Test
    void concurrentClaims_ofOneKey_startExactlyOnce() {
        String key = UUID.randomUUID().toString();

        var outcomes = Concurrently.run(30, i -> () -> store.claim(key, "fp"));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.ok()).isTrue());
        assertThat(outcomes).filteredOn(o -> o.value() instanceof Claim.Started).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.value() instanceof Claim.InProgress).hasSize(29);
    }

    @Test
    void completedClaim_replaysTheStoredResponse_andRefusesAnotherFingerprint() {
        String key = UUID.randomUUID().toString();
        store.claim(key, "fp");
        store.complete(key, "fp", new ApiResponse(201, Map.of("location", "/x/1"), "{\"id\":1}"));

        assertThat(store.claim(key, "fp")).isInstanceOfSatisfying(Claim.Completed.class, c -> {
            assertThat(c.response().statusCode()).isEqualTo(201);
            assertThat(c.response().headers()).containsEntry("location", "/x/1");
            assertThat(c.response().body()).isEqualTo("{\"id\":1}");
        });
        assertThat(store.claim(key, "other")).isInstanceOf(Claim.Mismatch.class);
    }

    @Test
    void releasedClaim_canBeClaimedAgain() {
        String key = UUID.randomUUID().toString();
        store.claim(key, "fp");
        store.release(key);

        assertThat(store.claim(key, "fp")).isInstanceOf(Claim.Started.class);
    }

    @Test
    void abandonedClaim_canBeTakenOver_afterItsLease() {
        String key = UUID.randomUUID().toString();
        Instant now = Instant.now();
        new DynamoIdempotencyStore(aws.dynamoDb(), "FeedbackTable", Clock.fixed(now, ZoneOffset.UTC)).claim(key, "fp");
        var later = new DynamoIdempotencyStore(aws.dynamoDb(), "FeedbackTable",
                Clock.fixed(now.plus(Duration.ofMinutes(2)), ZoneOffset.UTC));

        assertThat(store.claim(key, "fp")).isInstanceOf(Claim.InProgress.class);
        assertThat(later.claim(key, "fp")).isInstanceOf(Claim.Started.class);
    }
}
