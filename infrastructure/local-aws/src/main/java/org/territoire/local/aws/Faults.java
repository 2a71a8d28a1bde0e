package org.territoire.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.shared.json.Json;

/**
 * Switches the local endpoint's faults on and off (infrastructure/local/endpoint.py): what
 * DynamoDB does under load or on a bad day, on purpose, so that tests reach the code that
 * handles it. Faults are the endpoint's, shared by everything that uses it: a test turns them
 * on, runs, and turns them off in a {@code finally} (or with try-with-resources).
 */
public final class Faults implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What the endpoint does instead of (or after) serving the request. */
    public enum Fault {
        /** TransactWriteItems or TransactGetItems cancelled, one item's reason {@code TransactionConflict}. */
        TRANSACTION_CONFLICT("TransactionConflict"),
        /** 400 {@code ProvisionedThroughputExceededException}. */
        PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceeded"),
        /** 400 {@code ThrottlingException}. */
        THROTTLING("Throttling"),
        /** 500 {@code InternalServerError}. */
        INTERNAL_SERVER_ERROR("InternalServerError"),
        /** The connection closes before the request is applied. */
        DROP_BEFORE_APPLYING("DropBeforeApplying"),
        /** The request is applied, then the connection closes: the answer is lost. */
        DROP_AFTER_APPLYING("DropAfterApplying");

        private final String wire;

        Fault(String wire) {
            this.wire = wire;
        }
    }

    /**
     * One rule: on {@code operation} (a DynamoDB operation name such as {@code TransactWriteItems};
     * null for all) naming {@code table} (null for any), inject {@code fault} with probability
     * {@code rate}, at most {@code times} times (null: no limit).
     */
    public record Rule(String operation, String table, Fault fault, double rate, Integer times) {
        public static Rule of(String operation, String table, Fault fault, double rate) {
            return new Rule(operation, table, fault, rate, null);
        }
    }

    private final URI control;

    Faults(URI endpoint) {
        this.control = endpoint.resolve("/_territoire/faults");
    }

    /** Replaces the faults in force; the same seed draws the same faults for the same requests. */
    public Faults inject(long seed, Rule... rules) {
        ObjectNode spec = Json.MAPPER.createObjectNode().put("seed", seed);
        ArrayNode list = spec.putArray("rules");
        for (Rule rule : rules) {
            ObjectNode r = list.addObject().put("fault", rule.fault().wire).put("rate", rule.rate());
            if (rule.operation() != null) {
                r.put("operation", rule.operation());
            }
            if (rule.table() != null) {
                r.put("table", rule.table());
            }
            if (rule.times() != null) {
                r.put("times", rule.times());
            }
        }
        call("POST", Json.write(spec));
        return this;
    }

    /**
     * A bad day on one table, every fault at once, at rates that a client retrying with its
     * Idempotency-Key gets through: transactions conflict (half of them) or lose their answer
     * after being applied (a quarter); any call may lose its connection first, fail with a 500,
     * or be throttled (a tenth each, throttling split between its two forms).
     */
    public Faults storm(long seed, String table) {
        return inject(seed,
                Rule.of("TransactWriteItems", table, Fault.TRANSACTION_CONFLICT, 0.5),
                Rule.of("TransactWriteItems", table, Fault.DROP_AFTER_APPLYING, 0.25),
                Rule.of(null, table, Fault.DROP_BEFORE_APPLYING, 0.1),
                Rule.of(null, table, Fault.INTERNAL_SERVER_ERROR, 0.1),
                Rule.of(null, table, Fault.THROTTLING, 0.05),
                Rule.of(null, table, Fault.PROVISIONED_THROUGHPUT_EXCEEDED, 0.05));
    }

    /** How many of each fault were injected since the rules were set. */
    public Map<String, Integer> injected() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        call("GET", null).path("injected").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    public void clear() {
        call("DELETE", null);
    }

    @Override
    public void close() {
        clear();
    }

    private JsonNode call(String method, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(control).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("the endpoint refused the faults: " + response.body());
            }
            return Json.tree(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
