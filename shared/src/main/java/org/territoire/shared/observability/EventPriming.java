package org.territoire.shared.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.shared.ddb.LazyClient;
import org.territoire.shared.http.ApiPriming;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming for an event or schedule function (a sweep, an EventBridge consumer, the IoT
 * rule's ingestion, S3's photo processing, the user pool's trigger), as {@link ApiPriming} is for
 * the HTTP ones: a realistic event of the function's type is parsed as Lambda hands it, then the
 * function's real path runs inside the kernel's logging, up to but excluding its effects, and its
 * answer is rendered as JSON. What each function reads is its own choice (a sweep at the epoch,
 * when nothing is due; a device, a resource, an account or a report that does not exist), so that
 * the DynamoDB client's first call, Jackson's and the function's own classes are in the snapshot.
 *
 * <p>Nothing is written, published, sent or counted but {@value #PRIMED_METRIC}: a step must call
 * the services' read paths, never the handler's {@code handleRequest} (which counts what it did).
 * A failure is left to the first real event, never thrown into the checkpoint.
 */
public final class EventPriming {
    /**
     * The id of every item, device, resource, account or report priming reads: none has it, and none can (organisation and
     * device ids starting {@code snapstart-priming} are refused; accounts, reports and resources get generated ids).
     */
    public static final String ABSENT = "snapstart-priming-absent";
    static final String PRIMED_METRIC = "SnapStartPrimed";

    /** An EventBridge Scheduler event, as the sweeps receive it. */
    public static final String SCHEDULE = """
            {"version":"0","id":"snapstart-priming","detail-type":"Scheduled Event","source":"aws.scheduler",
             "account":"000000000000","time":"1970-01-01T00:00:00Z","region":"eu-west-3","resources":[],"detail":{}}""";

    /** An export request of an account nobody has: the account-events consumers' read path. */
    public static final String ACCOUNT_EXPORT = """
            {"version":"0","id":"snapstart-priming","detail-type":"Account Export Requested","source":"territoire.accounts",
             "account":"000000000000","time":"1970-01-01T00:00:00Z","region":"eu-west-3","resources":[],
             "detail":{"accountId":"snapstart-priming-absent","exportId":"00000000-0000-4000-8000-000000000000",
                       "requestedAt":"1970-01-01T00:00:00Z"}}""";

    /** One read-only step of a function's path: what it would answer for {@code event}. */
    @FunctionalInterface
    public interface Step {
        Object run(JsonNode event);
    }

    /**
     * A function primed before its snapshot: its public no-argument constructor (Lambda's, not the
     * tests') calls {@link #register}; {@code beforeCheckpoint} runs {@link #prime}.
     */
    public interface Hook extends Resource {
        void prime();

        @Override
        default void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            prime();
        }

        @Override
        default void afterRestore(org.crac.Context<? extends Resource> context) {
            // Nothing to refresh: clients re-open their connections on first use.
        }
    }

    private EventPriming() {
    }

    /** Registers {@code hook} with CRaC's global context (a no-op outside a CRaC JVM, as in tests). */
    public static void register(Hook hook) {
        Core.getGlobalContext().register(hook);
    }

    /** Parses {@code rawEvent} as the handler does, runs each step on it (logged, its answer rendered), then primes the metrics' flush. */
    public static void prime(String rawEvent, Step... steps) {
        Context context = ApiPriming.context();
        for (Step step : steps) {
            try {
                JsonNode event = Json.tree(new ByteArrayInputStream(rawEvent.getBytes(StandardCharsets.UTF_8)));
                Object answer = Logging.withLogging(context, "id", event, () -> step.run(event));
                Json.write(answer).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                // Priming is an optimisation: the function works without it.
            }
        }
        LazyClient.buildAll();
        try {
            Observability.count(PRIMED_METRIC);
            Observability.flush();
        } catch (RuntimeException e) {
            // A metric that cannot be written now is not a reason to fail the snapshot.
        }
    }

    /**
     * A {@code GetItem} of a key no item has, on {@code client} (the function's own, so that its first
     * call is in the snapshot): for the functions whose every read is followed by an effect.
     */
    public static Map<String, Object> getAbsent(DynamoDbClient client, String table) {
        AttributeValue absent = AttributeValue.fromS(ABSENT);
        boolean found = client.getItem(b -> b.tableName(table).key(Map.of("pk", absent, "sk", absent))).hasItem();
        return Map.of("found", found);
    }
}
