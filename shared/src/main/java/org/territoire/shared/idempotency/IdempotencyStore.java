package org.territoire.shared.idempotency;

import org.territoire.shared.http.ApiResponse;

/** Where POST results are kept so that a retry with the same Idempotency-Key replays them. */
public interface IdempotencyStore {

    /** What the store knew when asked to start a request. */
    sealed interface Claim permits Claim.Started, Claim.Completed, Claim.InProgress, Claim.Mismatch {
        record Started() implements Claim {
        }

        record Completed(ApiResponse response) implements Claim {
        }

        record InProgress() implements Claim {
        }

        record Mismatch() implements Claim {
        }
    }

    /**
     * Atomically claims the key for this request (one conditional write). Only the first of
     * concurrent requests with one key gets {@link Claim.Started}.
     */
    Claim claim(String key, String fingerprint);

    void complete(String key, String fingerprint, ApiResponse response);

    /** Forgets a claim whose request failed, so that the client may retry it. */
    void release(String key);
}
