package org.territoire.accounts;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link AccountsHandler}'s SnapStart hook serves before the snapshot: a read of a request that
 * does not exist (its 404 problem, a {@code GetItem}), and the priming caller's own {@code GET /me},
 * which asks the user pool for a user that does not exist ({@code AdminGetUser} answers
 * {@code UserNotFoundException}, read as "no profile"). Both only read. Without the second, the
 * first {@code GET /me} after a restore paid the Cognito client's first call: 21-23x a warm request
 * in the cold-start benchmark (docs/benchmarks.md).
 */
final class Priming {
    private Priming() {
    }

    static void prime(AccountsHandler handler) {
        ApiPriming.prime(handler, ApiPriming.get("/verifications/snapstart-priming-absent", Map.of()),
                ApiPriming.get("/me", Map.of()));
    }
}
