package org.territoire.accounts;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link AccountsHandler}'s SnapStart hook serves before the snapshot: a read of a request that
 * does not exist (its 404 problem, a `GetItem`), the real path without touching the user pool.
 */
final class Priming {
    private Priming() {
    }

    static void prime(AccountsHandler handler) {
        ApiPriming.prime(handler, ApiPriming.get("/verifications/snapstart-priming-absent", Map.of()));
    }
}
