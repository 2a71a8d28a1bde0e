package org.territoire.feedback;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link FeedbackHandler}'s SnapStart hook serves before the snapshot: the real path of a
 * request, read-only. A `GetItem` of an item that does not exist (its 404 problem), and
 * the catalogue as a list of at most one item (a `Query` and the JSON of a real answer), and
 * Open311's XML answer to a service that does not exist.
 */
final class Priming {
    private Priming() {
    }

    static void prime(FeedbackHandler handler) {
        ApiPriming.prime(handler,
                ApiPriming.get("/services/snapstart-priming-absent", Map.of()),
                ApiPriming.get("/services", Map.of("limit", "1")),
                // Open311's XML: the JDK's StAX writer and GeoReport's error list, loaded before the snapshot.
                ApiPriming.get("/open311/v2/services/snapstart-priming-absent.xml", Map.of()));
    }
}
