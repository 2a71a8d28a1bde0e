package org.territoire.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/** A function for the rule engine's tests: it always fails, and counts its attempts. */
public final class FailingHandler implements RequestStreamHandler {
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ATTEMPTS.incrementAndGet();
        throw new IllegalStateException("this function always fails");
    }
}
