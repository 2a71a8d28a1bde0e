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
 * Devices connect and publish as they would to IoT Core, through {@link MqttGateway}, which
 * authenticates each client as a registered thing (MQTT username = thing name, password =
 * its certificate as issued at registration, looked up in the local control plane) and
 * applies the policies attached to that certificate; see docs/decisions.md. A message on
 * {@code $aws/rules/<rule>/<topic>} goes to that rule only (Basic Ingest: the rule sees the
 * topic without the prefix, and nothing is delivered to subscribers); any other message goes
 * to subscribers and to every rule whose FROM filter matches it. A rule's Lambda action is
 * an asynchronous invocation: a failing function is retried twice, as Lambda retries
 * asynchronous events, and then the event is kept as a dead letter.
 */
public final class IotCoreEmulator implements AutoCloseable {
    public static final String BASIC_INGEST = "$aws/rules/";
    /** The MQTT username of the local runtime's own clients (tests' observers, tools): full rights, its own password. */
    public static final String OPERATOR = "territoire-local-operator";
    private static final String GATEWAY = "territoire-iot-gateway";
    private static final int ATTEMPTS = 3;

    /** MQTT credentials. */
    public record Credentials(String username, String password) {
    }

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
    private final MqttGateway gateway;
    private final String operatorPassword = secret();
    private final byte[] gatewayPassword = secret().getBytes(StandardCharsets.UTF_8);
    private final software.amazon.awssdk.services.iot.IotClient registry;

    public IotCoreEmulator(SamTemplate template, FunctionHost functions, int port, Path dataDir) {
        this.functions = functions;
        for (SamTemplate.IotRule rule : template.iotRules()) {
            rules.add(new Rule(rule.name(), IotSql.parse(rule.sql()), template.function(rule.functionLogicalId())));
        }
        // The things, their certificates and policies: the local control plane (moto), as registration left them.
        this.registry = org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.iot.IotClient.builder(), "IOT")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).build();
        int brokerPort = freePort();
        Properties config = new Properties();
        config.setProperty("host", "127.0.0.1");
        // The broker listens on a port of its own, for the gateway only (its credentials); devices reach the gateway.
        config.setProperty("port", Integer.toString(brokerPort));
        config.setProperty("allow_anonymous", "false");
        config.setProperty("persistence_enabled", "false");
        config.setProperty("telemetry_enabled", "false"); // Moquette would otherwise report to its authors
        config.setProperty("data_path", dataDir.toString());
        config.setProperty("websocket_port", "disabled");
        config.setProperty("netty.mqtt.message_size", Integer.toString(128 * 1024)); // IoT Core's limit
        try {
            io.moquette.broker.security.IAuthenticator onlyTheGateway = (clientId, username, password) ->
                    GATEWAY.equals(username) && password != null && java.security.MessageDigest.isEqual(password, gatewayPassword);
            broker.startServer(new MemoryConfig(config), List.of(new RuleInterceptor()), null, onlyTheGateway,
                    new io.moquette.broker.security.PermitAllAuthorizatorPolicy());
            dataPlane = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the MQTT broker on port " + brokerPort, e);
        }
        gateway = new MqttGateway(port, this::authenticate, this::route, new MqttGateway.Upstream(brokerPort, GATEWAY, gatewayPassword),
                invoker);
        this.port = gateway.port();
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
            if (topic.startsWith(BASIC_INGEST)) {
                // Basic Ingest goes to its rule only, never through the broker to subscribers.
                route(topic, "", payload);
            } else {
                broker.internalPublish(io.netty.handler.codec.mqtt.MqttMessageBuilders.publish().topicName(topic).retained(false)
                        .qos(io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE)
                        .payload(io.netty.buffer.Unpooled.wrappedBuffer(payload)).build(), "iot-data-plane");
            }
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The local runtime's own MQTT credentials, valid for this emulator's life: any client id, any topic. */
    public Credentials operatorCredentials() {
        return new Credentials(OPERATOR, operatorPassword);
    }

    /**
     * Who a CONNECT is from. The operator, by its password; otherwise the username names a
     * thing, and the password is one of its active certificates (PEM as issued, or the
     * hex SHA-256 of its DER, its fingerprint): the principal then carries the policies attached
     * to that certificate, and the thing's name and attributes for their variables.
     */
    private MqttGateway.Principal authenticate(String clientId, String username, byte[] password) {
        if (OPERATOR.equals(username)) {
            return java.security.MessageDigest.isEqual(password, operatorPassword.getBytes(StandardCharsets.UTF_8))
                    ? new MqttGateway.Principal(new IotPolicy.Context(clientId, null, java.util.Map.of(), false), List.of(IotPolicy.allowAll()))
                    : null;
        }
        java.util.Map<String, String> attributes;
        try {
            attributes = registry.describeThing(t -> t.thingName(username)).attributes();
        } catch (software.amazon.awssdk.services.iot.model.ResourceNotFoundException | software.amazon.awssdk.services.iot.model.InvalidRequestException e) {
            return null;
        }
        String presented = new String(password, StandardCharsets.UTF_8).replaceAll("\\s", "");
        for (String arn : registry.listThingPrincipals(p -> p.thingName(username)).principals()) {
            if (!arn.contains(":cert/")) {
                continue;
            }
            var certificate = registry.describeCertificate(c -> c.certificateId(arn.substring(arn.lastIndexOf('/') + 1))).certificateDescription();
            if (certificate.status() != software.amazon.awssdk.services.iot.model.CertificateStatus.ACTIVE) {
                continue;
            }
            String pem = certificate.certificatePem().replaceAll("\\s", "");
            if (!java.security.MessageDigest.isEqual(pem.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8))
                    && !fingerprint(certificate.certificatePem()).equalsIgnoreCase(presented)) {
                continue;
            }
            List<IotPolicy> policies = registry.listAttachedPolicies(p -> p.target(arn)).policies().stream()
                    .map(p -> IotPolicy.parse(registry.getPolicy(g -> g.policyName(p.policyName())).policyDocument())).toList();
            return new MqttGateway.Principal(new IotPolicy.Context(clientId, username, attributes, true), policies);
        }
        return null;
    }

    /** The SHA-256 of a certificate's DER, in hex: what AWS IoT uses as the certificate's id. */
    static String fingerprint(String pem) {
        String base64 = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "").replaceAll("\\s", "");
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.util.Base64.getDecoder().decode(base64)));
        } catch (java.security.NoSuchAlgorithmException | IllegalArgumentException e) {
            return "";
        }
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
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
        gateway.close();
        broker.stopServer();
        registry.close();
        invoker.shutdown();
        try {
            invoker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
