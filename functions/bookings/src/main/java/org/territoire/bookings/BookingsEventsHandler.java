package org.territoire.bookings;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.bookings.occupancy.Occupancy;
import org.territoire.bookings.occupancy.OccupancyService;
import org.territoire.bookings.store.DynamoBookingsStore;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;

/**
 * Events from the other capabilities, through EventBridge: today the telemetry capability's
 * {@code Occupancy Changed} (a resource's occupancy sensor), detail
 * {@code {"resourceId": "...", "occupied": true, "observedAt": "2026-12-01T09:02:00Z"}}.
 * A malformed event or an unknown resource is logged and counted, not retried forever;
 * a storage failure is thrown, so EventBridge retries it.
 */
public final class BookingsEventsHandler implements RequestStreamHandler {
    public static final String OCCUPANCY_CHANGED = "Occupancy Changed";
    private static final Logger LOG = LoggerFactory.getLogger(BookingsEventsHandler.class);

    private final OccupancyService occupancy;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsEventsHandler() {
        DynamoBookingsStore store = new DynamoBookingsStore(Aws.dynamoDb(), Env.require(BookingsHandler.TABLE_VARIABLE),
                PaginationKey.load());
        this.occupancy = new OccupancyService(store, store, store);
    }

    /** For tests. */
    public BookingsEventsHandler(OccupancyService occupancy) {
        this.occupancy = occupancy;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        Map<String, Object> result = PowertoolsLogging.withLogging(context, "id", event, () -> {
            try {
                return handle(event);
            } finally {
                Observability.metrics().flush();
            }
        });
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    Map<String, Object> handle(JsonNode event) {
        if (!OCCUPANCY_CHANGED.equals(event.path("detail-type").asText())) {
            return rejected("unknown detail-type " + event.path("detail-type").asText());
        }
        JsonNode detail = event.path("detail");
        String resourceId = detail.path("resourceId").asText("");
        if (resourceId.isBlank() || !detail.path("occupied").isBoolean()) {
            return rejected("an occupancy event needs resourceId and occupied (boolean)");
        }
        Instant observedAt;
        try {
            observedAt = Instant.parse(detail.path("observedAt").asText());
        } catch (DateTimeParseException e) {
            return rejected("observedAt must be an ISO-8601 instant");
        }
        try {
            OccupancyService.Outcome outcome = occupancy.observe(new Occupancy(resourceId, detail.get("occupied").asBoolean(), observedAt));
            if (!outcome.recorded()) {
                Observability.count("OccupancyStale");
            }
            outcome.checkedInBooking().ifPresent(id -> Observability.count("SensorCheckIns"));
            return Map.of("recorded", outcome.recorded(), "checkedIn", outcome.checkedInBooking().orElse(""));
        } catch (ApiException e) {
            return rejected(e.detail());
        }
    }

    private static Map<String, Object> rejected(String reason) {
        LOG.warn("event rejected: {}", reason);
        Observability.count("EventsRejected");
        return Map.of("rejected", reason);
    }
}
