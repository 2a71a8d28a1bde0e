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
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Events from the other capabilities, through EventBridge: today the telemetry capability's
 * {@code Occupancy Changed} (a resource's occupancy sensor), detail
 * {@code {"resourceId": "...", "occupied": true, "observedAt": "2026-12-01T09:02:00Z"}}.
 *
 * <p>EventBridge delivers one event per invocation, so "one bad event never stops the others"
 * means: an event that cannot succeed however often it is retried (malformed, an unknown
 * resource, a time out of range, or data this code cannot handle) is logged with its event id,
 * counted ({@code EventsRejected}, or {@code EventsFailed} for an unexpected failure) and
 * acknowledged, so EventBridge does not spend its retries on it; a transient storage failure
 * (throttling, an unreachable table, a transaction that kept conflicting) is thrown, so that
 * EventBridge retries the event (and the function's dead-letter handling keeps it after that).
 */
public final class BookingsEventsHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    public static final String OCCUPANCY_CHANGED = "Occupancy Changed";
    private static final Logger LOG = LoggerFactory.getLogger(BookingsEventsHandler.class);

    private final OccupancyService occupancy;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public BookingsEventsHandler() {
        this(Wiring.fromEnvironment().occupancy());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests: the service (with the clock that says what "now" is). */
    public BookingsEventsHandler(OccupancyService occupancy) {
        this.occupancy = occupancy;
    }

    /**
     * SnapStart: an {@code Occupancy Changed} of a resource that does not exist, read as EventBridge
     * delivers it, up to the service's refusal (the resource read): nothing recorded, nothing counted.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime("""
                {"version":"0","id":"snapstart-priming","detail-type":"Occupancy Changed","source":"territoire.telemetry",
                 "account":"000000000000","time":"%1$s","region":"eu-west-3","resources":[],
                 "detail":{"resourceId":"%2$s","occupied":true,"observedAt":"%1$s"}}""".formatted(Instant.now(), org.territoire.shared.observability.EventPriming.ABSENT),
                event -> {
                    JsonNode detail = event.path("detail");
                    try {
                        return occupancy.observe(new Occupancy(detail.path("resourceId").asText(), detail.path("occupied").asBoolean(),
                                Instant.parse(detail.path("observedAt").asText())));
                    } catch (DomainError e) {
                        return Map.of("rejected", e.detail());
                    }
                });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        Map<String, Object> result = Logging.withLogging(context, "id", event, () -> {
            try {
                return handle(event);
            } finally {
                Observability.flush();
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
        } catch (DomainError e) {
            // A time out of range, an unknown resource: the service's refusal, the same however often retried.
            return rejected(e.detail());
        } catch (StorageException e) {
            if (e.retryable()) {
                throw e;
            }
            return failed(event, e);
        } catch (SdkException e) {
            if (e.retryable()) {
                throw e;
            }
            return failed(event, e);
        } catch (RuntimeException e) {
            return failed(event, e);
        }
    }

    /** Retrying would fail the same way: logged (event id, no personal data) and counted, then acknowledged. */
    private static Map<String, Object> failed(JsonNode event, RuntimeException e) {
        LOG.error("event {} could not be handled", event.path("id").asText(""), e);
        Observability.count("EventsFailed");
        return Map.of("failed", event.path("id").asText(""));
    }

    private static Map<String, Object> rejected(String reason) {
        LOG.warn("event rejected: {}", reason);
        Observability.count("EventsRejected");
        return Map.of("rejected", reason);
    }
}
