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
 * The daily digest (template.yaml, NotificationDigestFunction's schedule): one mail per person of
 * what was held for them since their last digest, claimed for the day before it is sent, so a
 * rerun the same day sends nothing twice.
 */
public final class NotificationDigestHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private final NotificationService service;
    private org.territoire.shared.observability.EventPriming.Step primingRead = event -> Map.of();

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public NotificationDigestHandler() {
        this(Wiring.fromEnvironment());
    }

    private NotificationDigestHandler(Wiring w) {
        this(w.delivery());
        this.primingRead = w.absentRead();
        org.territoire.shared.observability.EventPriming.register(this);
    }

    /** For tests. */
    public NotificationDigestHandler(NotificationService service) {
        this.service = service;
    }

    /** SnapStart: the schedule's event and the table client's first call (a GetItem of no item); the digest claims and sends, so it does not run. */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.SCHEDULE, primingRead);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        Map<String, Object> outcome = Logging.withLogging(context, "id", event, () -> {
            try {
                var result = service.digest();
                Observability.count("DigestsSent", result.sent());
                return result.asMap();
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(outcome).getBytes(StandardCharsets.UTF_8));
    }
}
