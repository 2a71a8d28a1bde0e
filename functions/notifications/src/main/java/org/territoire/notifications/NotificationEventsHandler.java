package org.territoire.notifications;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.territoire.notifications.delivery.NotificationService;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;

/**
 * The consumer of the capabilities' domain events (template.yaml, NotificationEventsFunction's
 * rule). A failure escapes, so that Lambda retries the event (twice) and then sends it to
 * NotificationEventsDeadLetterQueue; what was already sent for it is in the delivery log and is
 * not sent again.
 */
public final class NotificationEventsHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private final NotificationService service;
    private final org.territoire.shared.accounts.AccountEventsProcessor exports;
    private org.territoire.shared.observability.EventPriming.Step primingRead = event -> Map.of();

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public NotificationEventsHandler() {
        this(Wiring.fromEnvironment());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    private NotificationEventsHandler(Wiring w) {
        this(w.delivery(), w.accountExports());
        this.primingRead = w.absentRead();
    }

    /** For tests: the delivery, and the writer of this capability's part of an export. */
    public NotificationEventsHandler(NotificationService service, org.territoire.shared.accounts.AccountEventsProcessor exports) {
        this.service = service;
        this.exports = exports;
    }

    /**
     * SnapStart: the export path of an account nobody has (read, rendered, not written), the table client's
     * first call (a GetItem of no item), and a real domain event, {@code Report Routed} to an organisation that
     * does not exist: its notice made, its recipients read (none), so nothing delivered or sent.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.ACCOUNT_EXPORT, exports::primeExport, primingRead);
        org.territoire.shared.observability.EventPriming.prime("""
                {"version":"0","id":"snapstart-priming","detail-type":"Report Routed","source":"territoire.feedback",
                 "account":"000000000000","time":"1970-01-01T00:00:00Z","region":"eu-west-3","resources":[],
                 "detail":{"reportId":"%1$s","organisationId":"%1$s","routedAt":"1970-01-01T00:00:00Z"}}"""
                .formatted(org.territoire.shared.observability.EventPriming.ABSENT), event -> service.handle(event).asMap());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        Map<String, Object> outcome = Logging.withLogging(context, "id", event, () -> {
            try {
                // Its part of a person's export, as the other capabilities' account-events consumers write theirs.
                if ("Account Export Requested".equals(event.path("detail-type").asText())) {
                    return exports.handle(event);
                }
                var result = service.handle(event);
                Observability.count("NotificationsSent", result.sent());
                Observability.count("NotificationsHeld", result.held());
                Observability.count("NotificationDuplicates", result.duplicates());
                return result.asMap();
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
    }
}
