package org.territoire.shared.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The invocation a log line belongs to: while {@link #withLogging} runs, every line the
 * function's loggers write ({@link JsonLogger}) carries the Lambda context's fields and the
 * correlation id, as Powertools logging's {@code withLogging} gave them: {@code cold_start},
 * {@code function_name}, {@code function_version}, {@code function_arn},
 * {@code function_memory_size}, {@code function_request_id}, {@code xray_trace_id} and
 * {@code correlation_id} (API Gateway's request id, or the event's {@code id}). Neither the
 * event nor the answer is logged (they hold bearer tokens, api_keys and contact details).
 */
public final class Logging {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    /** What a log line says of its invocation. */
    record Invocation(Context context, String correlationId, boolean coldStart) {
    }

    private Logging() {
    }

    public static <T> T withLogging(Context context, Supplier<T> work) {
        return withLogging(context, null, work);
    }

    /** With the correlation id found at {@code correlationPath} (dotted, e.g. {@code requestContext.requestId}) in the event. */
    public static <T> T withLogging(Context context, String correlationPath, JsonNode event, Supplier<T> work) {
        return withLogging(context, correlationId(correlationPath, event), work);
    }

    private static <T> T withLogging(Context context, String correlationId, Supplier<T> work) {
        Invocation outer = CURRENT.get();
        CURRENT.set(new Invocation(context, correlationId, COLD.getAndSet(false)));
        try {
            return work.get();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    static Invocation current() {
        return CURRENT.get();
    }

    static String correlationId(String path, JsonNode event) {
        if (path == null || event == null) {
            return null;
        }
        JsonNode node = event;
        for (String member : path.split("\\.")) {
            node = node.path(member);
        }
        return node.isValueNode() && !node.isNull() ? node.asText() : null;
    }
}
