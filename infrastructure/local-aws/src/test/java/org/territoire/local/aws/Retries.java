package org.territoire.local.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.territoire.shared.http.ApiResponse;

/** A careful client: one Idempotency-Key for all its tries, retried after a 503 or a 409 "still in progress". */
public final class Retries {
    private Retries() {
    }

    /**
     * Sends {@code attempt} (given the key) up to {@code tries} times and answers every status it
     * got, in order; a 503 without {@code Retry-After} is reported as 0, which no test accepts.
     */
    public static List<Integer> withOneKey(int tries, Function<String, ApiResponse> attempt) throws InterruptedException {
        String key = UUID.randomUUID().toString();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
            ApiResponse response = attempt.apply(key);
            boolean retryAfter = response.headers().containsKey("retry-after");
            statuses.add(response.statusCode() == 503 && !retryAfter ? 0 : response.statusCode());
            boolean again = response.statusCode() == 503
                    || response.statusCode() == 409 && response.body() != null && response.body().contains("in progress");
            if (!again) {
                break;
            }
            Thread.sleep(50);
        }
        return statuses;
    }
}
