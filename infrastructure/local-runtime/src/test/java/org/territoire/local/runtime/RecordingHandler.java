package org.territoire.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.territoire.shared.json.Json;

/** A function for the rule engine's tests: it keeps every event it receives. */
public final class RecordingHandler implements RequestStreamHandler {
    static final BlockingQueue<JsonNode> EVENTS = new LinkedBlockingQueue<>();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        EVENTS.add(Json.tree(input));
    }
}
