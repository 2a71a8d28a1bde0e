package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * A local Amazon EventBridge for the events the capabilities exchange: it answers the
 * {@code PutEvents} API (JSON 1.1, as the SDK's EventBridge client sends it; functions reach
 * it through AWS_ENDPOINT_URL_EVENTBRIDGE) and delivers each event to the template's
 * {@code EventBridgeRule} targets whose bus and pattern match, asynchronously, retried
 * twice, then kept as a dead letter. Patterns may use exact values and nested fields; any
 * other content filter is refused when the template is loaded, rather than ignored.
 */
public final class EventBridgeEmulator implements AutoCloseable {
    private static final int ATTEMPTS = 3;

    private record Rule(SamTemplate.EventRule declared, SamTemplate.Function target) {
    }

    /** An event no attempt could deliver. */
    public record DeadLetter(String function, String detailType, String reason) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final FunctionHost functions;
    private final HttpServer server;
    private final ExecutorService invoker = Executors.newVirtualThreadPerTaskExecutor();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public EventBridgeEmulator(SamTemplate template, FunctionHost functions) {
        this.functions = functions;
        for (SamTemplate.EventRule rule : template.eventRules()) {
            checkPattern(rule.pattern(), rule.functionLogicalId() + "." + rule.eventName());
            rules.add(new Rule(rule, template.function(rule.functionLogicalId())));
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(invoker);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<String> ruleNames() {
        return rules.stream().map(r -> r.declared().functionLogicalId() + "." + r.declared().eventName()).toList();
    }

    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"AWSEvents.PutEvents".equals(target)) {
                reply(exchange, 400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the local EventBridge serves PutEvents only\"}");
                return;
            }
            JsonNode request = Json.tree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ObjectNode response = Json.MAPPER.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : request.path("Entries")) {
                JsonNode detail;
                try {
                    detail = Json.tree(entry.path("Detail").asText("{}"));
                } catch (IllegalArgumentException e) {
                    failed++;
                    results.addObject().put("ErrorCode", "MalformedDetail").put("ErrorMessage", "Detail is not valid JSON");
                    continue;
                }
                ObjectNode event = event(entry, detail);
                results.addObject().put("EventId", event.path("id").asText());
                String bus = entry.path("EventBusName").asText("default");
                for (Rule rule : rules) {
                    if (rule.declared().bus().equals(bus) && matches(rule.declared().pattern(), event)) {
                        deliver(rule, event);
                    }
                }
            }
            response.put("FailedEntryCount", failed);
            reply(exchange, 200, Json.write(response));
        }
    }

    /** The event as EventBridge hands it to a target. */
    private static ObjectNode event(JsonNode entry, JsonNode detail) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", entry.path("DetailType").asText());
        event.put("source", entry.path("Source").asText());
        event.put("account", "000000000000");
        event.put("time", entry.hasNonNull("Time") ? Instant.ofEpochSecond(entry.get("Time").asLong()).toString()
                : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        event.put("region", LocalAws.REGION);
        event.set("resources", entry.has("Resources") ? entry.get("Resources") : Json.MAPPER.createArrayNode());
        event.set("detail", detail);
        return event;
    }

    /** Exact-value patterns: every field of the pattern lists the values it accepts, or nests another pattern. */
    static boolean matches(JsonNode pattern, JsonNode event) {
        Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = event.path(field.getKey());
            if (field.getValue().isObject()) {
                if (!matches(field.getValue(), value)) {
                    return false;
                }
            } else {
                boolean any = false;
                for (JsonNode accepted : field.getValue()) {
                    any |= value.isArray() ? contains(value, accepted) : accepted.equals(value);
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean contains(JsonNode array, JsonNode accepted) {
        for (JsonNode v : array) {
            if (v.equals(accepted)) {
                return true;
            }
        }
        return false;
    }

    private static void checkPattern(JsonNode pattern, String where) {
        if (!pattern.isObject()) {
            throw new IllegalArgumentException(where + ": an event pattern is an object");
        }
        pattern.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                checkPattern(f.getValue(), where);
            } else if (!f.getValue().isArray()) {
                throw new IllegalArgumentException(where + ": " + f.getKey() + " must list accepted values");
            } else {
                f.getValue().forEach(v -> {
                    if (!v.isValueNode()) {
                        throw new IllegalArgumentException(where + ": the local EventBridge matches exact values only, not " + v);
                    }
                });
            }
        });
    }

    /**
     * Waits until every event accepted so far has been delivered (or dead-lettered); false if
     * some were still being delivered at the deadline. Tests use it to know a consumer is done.
     */
    public boolean awaitDeliveries(java.time.Duration timeout) throws InterruptedException {
        for (Instant deadline = Instant.now().plus(timeout); Instant.now().isBefore(deadline); ) {
            if (inFlight.get() == 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return inFlight.get() == 0;
    }

    private void deliver(Rule rule, JsonNode event) {
        byte[] bytes = Json.write(event).getBytes(StandardCharsets.UTF_8);
        inFlight.incrementAndGet();
        invoker.submit(() -> {
            try {
                attempt(rule, event, bytes);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private void attempt(Rule rule, JsonNode event, byte[] bytes) {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                functions.invoke(rule.target(), bytes);
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        System.err.println("[events] " + rule.target().logicalId() + " gave up on " + event.path("detail-type").asText() + ": " + last);
        deadLetters.add(new DeadLetter(rule.target().logicalId(), event.path("detail-type").asText(), String.valueOf(last)));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        invoker.shutdown();
    }
}
