package org.territoire.bookings;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link BookingsHandler}'s SnapStart hook serves before the snapshot: the real path of a
 * request, read-only. A `GetItem` of an item that does not exist (its 404 problem), and
 * the resources as a list of at most one item (a `Query` and the JSON of a real answer).
 */
final class Priming {
    private Priming() {
    }

    static void prime(BookingsHandler handler) {
        ApiPriming.prime(handler,
                ApiPriming.get("/resources/snapstart-priming-absent", Map.of()),
                ApiPriming.get("/resources", Map.of("limit", "1")));
    }
}
