package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * A local AWS IoT Core: an MQTT broker (Moquette) plus the topic rules of template.yaml.
 * Devices connect and publish as they would to IoT Core. A message on
 * {@code $aws/rules/<rule>/<topic>} goes to that rule only (Basic Ingest: the rule sees the
 * topic without the prefix, and nothing is delivered to subscribers); any other message goes
 * to subscribers and to every rule whose FROM filter matches it. A rule's Lambda action is
 * an asynchronous invocation: a failing function is retried twice, as Lambda retries
 * asynchronous events, and then the event is kept as a dead letter.
 */
public final class IotCoreEmulator implements AutoCloseable {
    public static final String BASIC_INGEST = "$aws/rules/";
    private static final int ATTEMPTS = 3;

    /** An event that no attempt could deliver (locally: what the dead-letter queue would hold). */
    public record DeadLetter(String rule, String topic, String reason) {
    }

    private record Rule(String name, IotSql sql, SamTemplate.Function target) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final FunctionHost functions;
    private final Server broker = new Server();
    private final ExecutorService invoker = Executors.newVirtualThreadPerTaskExecutor();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final int port;
    private final com.sun.net.httpserver.HttpServer dataPlane;

    public IotCoreEmulator(SamTemplate template, FunctionHost functions, int port, Path dataDir) {
        this.functions = functions;
        for (SamTemplate.IotRule rule : template.iotRules()) {
            rules.add(new Rule(rule.name(), IotSql.parse(rule.sql()), template.function(rule.functionLogicalId())));
        }
        this.port = port == 0 ? freePort() : port;
        Properties config = new Properties();
        config.setProperty("host", "127.0.0.1");
        config.setProperty("port", Integer.toString(this.port));
        config.setProperty("allow_anonymous", "true");
        config.setProperty("persistence_enabled", "false");
        config.setProperty("telemetry_enabled", "false"); // Moquette would otherwise report to its authors
        config.setProperty("data_path", dataDir.toString());
        config.setProperty("websocket_port", "disabled");
        config.setProperty("netty.mqtt.message_size", Integer.toString(128 * 1024)); // IoT Core's limit
        try {
            broker.startServer(new MemoryConfig(config), List.of(new RuleInterceptor()));
            dataPlane = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the MQTT broker on port " + this.port, e);
        }
        dataPlane.createContext("/topics/", this::publishFromDataPlane);
        dataPlane.setExecutor(invoker);
        dataPlane.start();
    }

    /** The IoT data plane's URL (POST /topics/{topic}), which functions use to publish commands. */
    public URI dataPlaneUrl() {
        return URI.create("http://127.0.0.1:" + dataPlane.getAddress().getPort());
    }

    /**
     * {@code POST /topics/{topic}?qos=1}, as the IoT data plane's Publish API: the body is
     * published to the broker. Like IoT Core, it refuses unsigned requests (the local runtime
     * does not check SigV4 signatures further).
     */
    private void publishFromDataPlane(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod()) || auth == null || !auth.startsWith("AWS4-HMAC-SHA256")) {
                exchange.sendResponseHeaders("POST".equals(exchange.getRequestMethod()) ? 403 : 405, -1);
                return;
            }
            String topic = java.net.URLDecoder.decode(exchange.getRequestURI().getRawPath().substring("/topics/".length()),
                    StandardCharsets.UTF_8);
            byte[] payload = exchange.getRequestBody().readAllBytes();
            broker.internalPublish(io.netty.handler.codec.mqtt.MqttMessageBuilders.publish().topicName(topic).retained(false)
                    .qos(io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE)
                    .payload(io.netty.buffer.Unpooled.wrappedBuffer(payload)).build(), "iot-data-plane");
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    public URI url() {
        return URI.create("mqtt://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public List<String> ruleNames() {
        return rules.stream().map(Rule::name).toList();
    }

    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    public long delivered() {
        return delivered.get();
    }

    private final class RuleInterceptor extends AbstractInterceptHandler {
        @Override
        public String getID() {
            return "territoire-iot-rules";
        }

        @Override
        public void onPublish(InterceptPublishMessage message) {
            try {
                byte[] bytes = new byte[message.getPayload().readableBytes()];
                message.getPayload().getBytes(message.getPayload().readerIndex(), bytes);
                route(message.getTopicName(), message.getClientID(), bytes);
            } finally {
                super.onPublish(message);
            }
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            System.err.println("[iot] broker session error: " + error);
        }
    }

    void route(String topic, String clientId, byte[] payload) {
        long now = System.currentTimeMillis();
        if (topic.startsWith(BASIC_INGEST)) {
            String rest = topic.substring(BASIC_INGEST.length());
            int slash = rest.indexOf('/');
            String ruleName = slash < 0 ? rest : rest.substring(0, slash);
            String ruleTopic = slash < 0 ? "" : rest.substring(slash + 1);
            rules.stream().filter(r -> r.name().equals(ruleName))
                    .forEach(r -> deliver(r, ruleTopic, clientId, payload, now));
            return;
        }
        rules.stream().filter(r -> r.sql().matches(topic)).forEach(r -> deliver(r, topic, clientId, payload, now));
    }

    private void deliver(Rule rule, String topic, String clientId, byte[] payload, long now) {
        JsonNode document;
        try {
            document = Json.tree(new String(payload, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notJson) {
            document = Json.MAPPER.missingNode();
        }
        byte[] event;
        try {
            event = Json.write(rule.sql().select(new IotSql.Message(topic, clientId, document, now)))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            deadLetters.add(new DeadLetter(rule.name(), topic, "rule evaluation failed: " + e.getMessage()));
            return;
        }
        invoker.submit(() -> {
            Exception last = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    functions.invoke(rule.target(), event);
                    delivered.incrementAndGet();
                    return;
                } catch (Exception e) {
                    last = e;
                }
            }
            System.err.println("[iot] " + rule.name() + " gave up on a message from " + topic + ": " + last);
            deadLetters.add(new DeadLetter(rule.name(), topic, String.valueOf(last)));
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        dataPlane.stop(0);
        broker.stopServer();
        invoker.shutdown();
        try {
            invoker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
