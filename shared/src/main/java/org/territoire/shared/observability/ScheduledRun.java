package org.territoire.shared.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.territoire.shared.json.Json;

/**
 * One run of a scheduled sweep as Lambda hands it: the schedule's event read (its id correlates
 * the log lines; its time is not trusted, the function's clock says what is due), the run logged,
 * its metrics flushed even when it fails, and its summary answered as JSON (what the tests and a
 * manual invocation read).
 */
public final class ScheduledRun {
    private ScheduledRun() {
    }

    public static <T> void answer(InputStream input, OutputStream output, Context context, Supplier<T> run) throws IOException {
        JsonNode event = Json.tree(input);
        T summary = Logging.withLogging(context, "id", event, () -> {
            try {
                return run.get();
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.write(summary).getBytes(StandardCharsets.UTF_8));
    }
}
