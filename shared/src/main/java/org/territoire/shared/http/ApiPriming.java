package org.territoire.shared.http;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.LazyClient;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;

/**
 * SnapStart priming for an HTTP function: serves read-only requests through the same path as
 * {@link ApiHandler#handleRequest} (event parsing, the kernel's logging, routing, the caller,
 * the DynamoDB call, the response or problem and its JSON), so that the classes and code a
 * first request needs are loaded and compiled before Lambda takes the snapshot, as
 * Powertools' own {@code DynamoDBPersistenceStore} primes with a {@code GetItem}.
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html#snapstart-tuning
 *
 * <p>It counts no request: a snapshot must not publish a request that no one made. It
 * publishes one metric, {@value #PRIMED_METRIC}, which is true (a snapshot was primed) and
 * primes the metrics flush that every request ends with (measured: without it, the first
 * request after priming still cost several times a warm one, see docs/benchmarks.md).
 * The requests are GETs, by a caller named {@code snapstart-priming} with the resident role,
 * of an item that does not exist and of a list of at most one item: nothing is written.
 */
public final class ApiPriming {
    static final String CALLER = "snapstart-priming";
    static final String PRIMED_METRIC = "SnapStartPrimed";

    private ApiPriming() {
    }

    /** A GET of {@code path} (with its query) as API Gateway would send it, signed in as the priming caller. */
    public static String get(String path, Map<String, String> query) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0").put("routeKey", "GET " + path).put("rawPath", path).put("isBase64Encoded", false);
        ObjectNode q = event.putObject("queryStringParameters");
        query.forEach(q::put);
        event.putObject("headers").put("accept", "application/json");
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("requestId", "snapstart-priming");
        ctx.putObject("http").put("method", "GET").put("path", path);
        ctx.putObject("authorizer").putObject("jwt").putObject("claims")
                .put("sub", CALLER).put("cognito:groups", "[resident]").put("custom:district", "priming");
        return Json.write(event);
    }

    /**
     * Serves each event and renders its answer; a failure (storage unreachable while the
     * version is published, say) is left to the request that meets it, never thrown into
     * the checkpoint.
     */
    public static void prime(ApiHandler handler, String... events) {
        Context context = context();
        // Once each. Ten passes (to let C1 compile the path before the snapshot) were measured and
        // moved the first request after priming by less than this machine's noise (docs/benchmarks.md).
        for (String raw : events) {
            serve(handler, context, raw);
        }
        // The clients built on first use (EventBridge, S3, IoT): into the snapshot, not left to a restored instance.
        LazyClient.buildAll();
        try {
            Observability.count(PRIMED_METRIC);
            Observability.flush();
        } catch (RuntimeException e) {
            // As above: a metric that cannot be written now is not a reason to fail the snapshot.
        }
    }

    private static void serve(ApiHandler handler, Context context, String raw) {
        try {
            JsonNode event = Json.event(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            ApiResponse response = Logging.withLogging(context, "requestContext.requestId", event,
                    () -> handler.handle(HttpApiEvent.from(event)));
            Json.write(response.toEvent()).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            // Priming is an optimisation: the function works without it.
        }
    }

    /** The invocation context priming runs with (its request id says it is priming), for the event functions' hooks too. */
    public static Context context() {
        return new PrimingContext(Env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "priming"));
    }

    private record PrimingContext(String name) implements Context {
        public String getAwsRequestId() { return "snapstart-priming"; }
        public String getLogGroupName() { return "/aws/lambda/" + name; }
        public String getLogStreamName() { return "snapstart-priming"; }
        public String getFunctionName() { return name; }
        public String getFunctionVersion() { return "priming"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:priming:000000000000:function:" + name; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 10_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { System.out.print(message); }
                public void log(byte[] message) { System.out.print(new String(message, StandardCharsets.UTF_8)); }
            };
        }
    }
}
