package org.territoire.telemetry;

import java.util.Map;
import org.territoire.shared.http.ApiPriming;

/**
 * What {@link TelemetryApiHandler}'s SnapStart hook serves before the snapshot: the real path of a
 * request, read-only. A `GetItem` of an item that does not exist (its 404 problem), and
 * the caller's alerts (a `Query` and the JSON of a real answer).
 */
final class Priming {
    private Priming() {
    }

    static void prime(TelemetryApiHandler handler) {
        ApiPriming.prime(handler,
                ApiPriming.get("/devices/snapstart-priming-absent", Map.of()),
                ApiPriming.get("/alerts", Map.of()));
    }
}
