package org.territoire.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.local.LocalContext;

/**
 * Runs the template's functions in-process, the way Lambda runs them: a handler instance is
 * built (cold start) with its public no-argument constructor, serves one invocation at a
 * time, and is kept for the next; concurrent invocations get more instances.
 */
public final class FunctionHost {
    private final Map<String, ConcurrentLinkedQueue<RequestStreamHandler>> idle = new ConcurrentHashMap<>();

    public byte[] invoke(SamTemplate.Function function, byte[] event) throws IOException {
        ConcurrentLinkedQueue<RequestStreamHandler> pool = idle.computeIfAbsent(function.logicalId(), k -> new ConcurrentLinkedQueue<>());
        // What the function writes, at init and while it runs, is its own log (FunctionLogs).
        try {
            return FunctionLogs.within(function.logicalId(), () -> {
                RequestStreamHandler handler = Optional.ofNullable(pool.poll()).orElseGet(() -> instantiate(function));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(new ByteArrayInputStream(event), out, LocalContext.of(function.logicalId()));
                } finally {
                    pool.offer(handler);
                }
                return out.toByteArray();
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RequestStreamHandler instantiate(SamTemplate.Function function) {
        try {
            return (RequestStreamHandler) Class.forName(function.handlerClass()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new IllegalStateException("cannot build " + function.handlerClass() + " for " + function.logicalId() + ": " + cause, e);
        }
    }
}
