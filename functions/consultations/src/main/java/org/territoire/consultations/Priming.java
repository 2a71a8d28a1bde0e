package org.territoire.consultations;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link ConsultationsHandler}'s SnapStart hook serves before the snapshot: the real path of a
 * request, read-only. A `GetItem` of an item that does not exist (its 404 problem), and
 * the consultations as a list of at most one item (a `Query` and the JSON of a real answer).
 */
final class Priming {
    private Priming() {
    }

    static void prime(ConsultationsHandler handler) {
        ApiPriming.prime(handler,
                ApiPriming.get("/consultations/snapstart-priming-absent", Map.of()),
                ApiPriming.get("/consultations", Map.of("limit", "1")));
    }
}
