package org.territoire.shared.accounts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;
import org.territoire.shared.observability.Logging;

/**
 * The Lambda entry point of a capability's account-events consumer: each capability's
 * {@code AccountEventsHandler} extends it with its own {@link PersonalData}. An exception
 * escapes (the invocation fails) so that Lambda retries it; see {@link AccountEventsProcessor}.
 */
public abstract class AccountEventsLambda implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private final AccountEventsProcessor processor;

    protected AccountEventsLambda(AccountEventsProcessor processor) {
        this.processor = processor;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        Map<String, Object> result = Logging.withLogging(context, "id", event, () -> {
            try {
                return processor.handle(event);
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * SnapStart: the export path of an account nobody has (the capability's reads, the document's JSON),
     * not written. Not the erasure path: even for an account nobody has, it records the erasure (a PutItem,
     * which EventPrimingTest caught). Each capability's Lambda constructor registers it (tests do not).
     */
    @Override
    public final void prime() {
        org.territoire.shared.observability.EventPriming.prime(org.territoire.shared.observability.EventPriming.ACCOUNT_EXPORT,
                processor::primeExport);
    }

    /** For tests. */
    public Map<String, Object> handle(JsonNode event) {
        return processor.handle(event);
    }
}
