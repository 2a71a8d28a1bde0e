package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.crt.mqtt.MqttClient;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttClientConnectionEvents;
import software.amazon.awssdk.crt.mqtt.MqttConnectionConfig;
import software.amazon.awssdk.crt.mqtt.MqttMessage;
import software.amazon.awssdk.crt.mqtt.QualityOfService;
import software.amazon.awssdk.crt.mqtt5.Mqtt5Client;
import software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions;
import software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn;
import software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn;
import software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn;
import software.amazon.awssdk.crt.mqtt5.OnStoppedReturn;
import software.amazon.awssdk.crt.mqtt5.QOS;
import software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.PublishPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubAckPacket;
import software.amazon.awssdk.crt.mqtt5.packets.SubscribePacket;

/**
 * What a device can notice of the local IoT Core, as of IoT Core: it authenticates as a
 * registered thing with its certificate, publishes and subscribes only on its own topics (the
 * template's DevicePolicy, district included), never sees Basic Ingest traffic, cannot use
 * QoS 2, and may speak MQTT 5. Devices are registered over HTTP with their own CSR.
 */
class IotCoreSecurityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String agent;
    private static DeviceSdkMqtt mqtt;
    private static MqttClient client;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-iot-sec", "agent").ofOrganisation("mairie"));
        mqtt = new DeviceSdkMqtt();
        client = mqtt.client;
    }

    @AfterAll
    static void stop() {
        mqtt.close();
        platform.close();
    }

    @Test
    void anonymousClients_wrongCredentials_andAnotherClientId_areRefused() throws Exception {
        Device a = register("centre");
        Device b = register("centre");

        assertRefused(a.id(), null, null);
        assertRefused(a.id(), a.id(), b.certificate()); // another thing's certificate
        assertRefused(a.id(), a.id(), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertRefused("nobody-" + UUID.randomUUID(), "nobody", a.certificate()); // no such thing
        assertRefused(a.id(), IotCoreEmulator.OPERATOR, "not-the-operator-password");
        assertRefused("other-" + a.id(), a.id(), a.certificate()); // its certificate, another client id: iot:Connect refuses
        try (Connected ok = connect(a.id(), a.id(), a.certificate())) {
            assertThat(ok.connection()).isNotNull();
        }
        try (Connected byFingerprint = connect(a.id(), a.id(), IotCoreEmulator.fingerprint(a.certificate()))) {
            assertThat(byFingerprint.connection()).isNotNull();
        }
    }

    @Test
    void publishingOnAnotherDevicesTopic_orInAnotherDistrict_disconnects_andStoresNothing() throws Exception {
        Device a = register("centre");
        Device b = register("centre");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);

        for (String topic : List.of(DeviceSimulator.topic("centre", b.id()), DeviceSimulator.topic("gare", a.id()), "cmd/territory/centre/" + b.id() + "/unlock")) {
            try (Connected intruder = connect(a.id(), a.id(), a.certificate())) {
                intruder.connection().publish(new MqttMessage(topic, reading(at), QualityOfService.AT_LEAST_ONCE));
                assertThat(intruder.interrupted().get(10, TimeUnit.SECONDS)).as(topic).isNotNull();
            }
        }
        try (Connected own = connect(a.id(), a.id(), a.certificate())) {
            own.connection().publish(new MqttMessage(DeviceSimulator.topic("centre", a.id()), reading(at), QualityOfService.AT_LEAST_ONCE))
                    .get(10, TimeUnit.SECONDS);
        }

        // Its own reading is stored; by then the others would have been too.
        assertThat(latest(a.id(), 200)).contains(Json.time(at));
        latest(b.id(), 404);
    }

    @Test
    void basicIngestTraffic_neverReachesAHashSubscriber() throws Exception {
        Device a = register("centre");
        IotCoreEmulator.Credentials operator = platform.iot().operatorCredentials();
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<String> control = new CompletableFuture<>();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        try (Connected observer = connect("observer-" + UUID.randomUUID(), operator.username(), operator.password());
             Connected device = connect(a.id(), a.id(), a.certificate())) {
            observer.connection().subscribe("#", QualityOfService.AT_LEAST_ONCE, m -> {
                seen.add(m.getTopic());
                if (m.getTopic().startsWith("cmd/")) {
                    control.complete(m.getTopic());
                }
            }).get(10, TimeUnit.SECONDS);

            device.connection().publish(new MqttMessage(DeviceSimulator.topic("centre", a.id()), reading(at), QualityOfService.AT_LEAST_ONCE))
                    .get(10, TimeUnit.SECONDS);
            assertThat(latest(a.id(), 200)).contains(Json.time(at)); // the rule had it
            // The subscription works: an ordinary topic is delivered.
            observer.connection().publish(new MqttMessage("cmd/territory/centre/" + a.id() + "/ping", "{}".getBytes(StandardCharsets.UTF_8),
                    QualityOfService.AT_LEAST_ONCE)).get(10, TimeUnit.SECONDS);
            assertThat(control.get(10, TimeUnit.SECONDS)).isEqualTo("cmd/territory/centre/" + a.id() + "/ping");
        }
        assertThat(seen).noneMatch(t -> t.startsWith("$aws/"));
    }

    @Test
    void qos2_publishOrSubscribe_isNotAcknowledged_andDisconnects() throws Exception {
        Device a = register("centre");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(90);
        try (Connected publisher = connect(a.id(), a.id(), a.certificate())) {
            CompletableFuture<Integer> ack = publisher.connection().publish(new MqttMessage(DeviceSimulator.topic("centre", a.id()), reading(at),
                    QualityOfService.EXACTLY_ONCE));
            assertThat(publisher.interrupted().get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(ack.isDone() && !ack.isCompletedExceptionally()).isFalse();
        }
        try (Connected subscriber = connect(a.id(), a.id(), a.certificate())) {
            subscriber.connection().subscribe("cmd/territory/centre/" + a.id() + "/#", QualityOfService.EXACTLY_ONCE, m -> { });
            assertThat(subscriber.interrupted().get(10, TimeUnit.SECONDS)).isNotNull();
        }
        Instant later = at.plusSeconds(30);
        try (Connected own = connect(a.id(), a.id(), a.certificate())) {
            own.connection().publish(new MqttMessage(DeviceSimulator.topic("centre", a.id()), reading(later), QualityOfService.AT_LEAST_ONCE))
                    .get(10, TimeUnit.SECONDS);
        }

        // The QoS 1 reading that followed is stored, the QoS 2 one never was.
        assertThat(latest(a.id(), 200)).contains(Json.time(later));
        assertThat(get("/devices/" + a.id() + "/readings?from=" + at.minusSeconds(60) + "&to=" + later.plusSeconds(60)))
                .contains(Json.time(later)).doesNotContain(Json.time(at));
    }

    @Test
    void anMqtt5Client_connects_publishesItsTelemetry_andReceivesOnlyItsOwnCommands() throws Exception {
        Device a = register("gare");
        Device b = register("gare");
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(45);
        CompletableFuture<Boolean> connected = new CompletableFuture<>();
        CompletableFuture<String> command = new CompletableFuture<>();
        Mqtt5ClientOptions options = new Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder("127.0.0.1", (long) platform.iot().port())
                .withBootstrap(mqtt.bootstrap).withSocketOptions(new SocketOptions())
                .withConnectOptions(new ConnectPacket.ConnectPacketBuilder().withClientId(a.id()).withUsername(a.id())
                        .withPassword(a.certificate().getBytes(StandardCharsets.UTF_8)).withKeepAliveIntervalSeconds(30L).build())
                .withLifecycleEvents(new Mqtt5ClientOptions.LifecycleEvents() {
                    public void onAttemptingConnect(Mqtt5Client c, OnAttemptingConnectReturn r) { }

                    public void onConnectionSuccess(Mqtt5Client c, OnConnectionSuccessReturn r) {
                        connected.complete(true);
                    }

                    public void onConnectionFailure(Mqtt5Client c, OnConnectionFailureReturn r) {
                        connected.completeExceptionally(new IllegalStateException("MQTT 5 connection failed: " + r.getErrorCode()));
                    }

                    public void onDisconnection(Mqtt5Client c, OnDisconnectionReturn r) { }

                    public void onStopped(Mqtt5Client c, OnStoppedReturn r) { }
                })
                .withPublishEvents((c, r) -> command.complete(r.getPublishPacket().getTopic()))
                .build();
        try (Mqtt5Client mqtt5 = new Mqtt5Client(options)) {
            mqtt5.start();
            assertThat(connected.get(10, TimeUnit.SECONDS)).isTrue();

            var published = mqtt5.publish(new PublishPacket.PublishPacketBuilder().withTopic(DeviceSimulator.topic("gare", a.id()))
                    .withQOS(QOS.AT_LEAST_ONCE).withPayload(reading(at)).build()).get(10, TimeUnit.SECONDS);
            SubAckPacket own = mqtt5.subscribe(new SubscribePacket.SubscribePacketBuilder("cmd/territory/gare/" + a.id() + "/#", QOS.AT_LEAST_ONCE)
                    .build()).get(10, TimeUnit.SECONDS);
            SubAckPacket others = mqtt5.subscribe(new SubscribePacket.SubscribePacketBuilder("cmd/territory/gare/" + b.id() + "/#", QOS.AT_LEAST_ONCE)
                    .build()).get(10, TimeUnit.SECONDS);
            IotCoreEmulator.Credentials operator = platform.iot().operatorCredentials();
            try (Connected sender = connect("sender-" + UUID.randomUUID(), operator.username(), operator.password())) {
                sender.connection().publish(new MqttMessage("cmd/territory/gare/" + a.id() + "/unlock", "{}".getBytes(StandardCharsets.UTF_8),
                        QualityOfService.AT_LEAST_ONCE)).get(10, TimeUnit.SECONDS);
            }

            assertThat(published.getResultPubAck().getReasonCode()).isEqualTo(PubAckPacket.PubAckReasonCode.SUCCESS);
            assertThat(latest(a.id(), 200)).contains(Json.time(at));
            assertThat(own.getReasonCodes()).containsExactly(SubAckPacket.SubAckReasonCode.GRANTED_QOS_1);
            assertThat(others.getReasonCodes()).containsExactly(SubAckPacket.SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(command.get(10, TimeUnit.SECONDS)).isEqualTo("cmd/territory/gare/" + a.id() + "/unlock");
            mqtt5.stop();
        }
    }

    private record Device(String id, String certificate) {
    }

    private record Connected(MqttConnectionConfig config, MqttClientConnection connection, CompletableFuture<Integer> interrupted)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                connection.disconnect().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Already dropped.
            }
            connection.close();
            config.close();
        }
    }

    /** A public device (air quality) registered over HTTP with its own CSR; its certificate. */
    private static Device register(String district) {
        String id = "air-" + UUID.randomUUID();
        try (DeviceSimulator registrar = new DeviceSimulator("127.0.0.1", platform.iot().port())) {
            String certificate = registrar.register(platform.apiUrl(), agent, """
                    {"id":"%s","kind":"AIR_QUALITY","district":"%s"}""".formatted(id, district));
            return new Device(id, certificate);
        }
    }

    private static Connected connect(String clientId, String username, String password) throws Exception {
        MqttConnectionConfig config = new MqttConnectionConfig();
        CompletableFuture<Integer> interrupted = new CompletableFuture<>();
        config.setMqttClient(client);
        config.setClientId(clientId);
        if (username != null) {
            config.setUsername(username);
            config.setPassword(password);
        }
        config.setEndpoint("127.0.0.1");
        config.setPort(platform.iot().port());
        config.setCleanSession(true);
        config.setKeepAliveSecs(30);
        config.setSocketOptions(new SocketOptions());
        config.setConnectionCallbacks(new MqttClientConnectionEvents() {
            @Override
            public void onConnectionInterrupted(int errorCode) {
                interrupted.complete(errorCode);
            }

            @Override
            public void onConnectionResumed(boolean sessionPresent) {
            }
        });
        MqttClientConnection connection = new MqttClientConnection(config);
        try {
            connection.connect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            connection.close();
            config.close();
            throw e;
        }
        return new Connected(config, connection, interrupted);
    }

    private static void assertRefused(String clientId, String username, String password) {
        assertThatThrownBy(() -> connect(clientId, username, password).close()).as(clientId + " / " + username)
                .isInstanceOf(java.util.concurrent.ExecutionException.class);
    }

    private static byte[] reading(Instant at) {
        return "{\"at\":\"%s\",\"pm2_5_ugm3\":12.5}".formatted(at).getBytes(StandardCharsets.UTF_8);
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + agent).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** GET /devices/{id}/latest as the agent, polled until it answers {@code status} (200 for a reading stored). */
    private static String latest(String deviceId, int status) throws Exception {
        HttpResponse<String> response = null;
        for (Instant deadline = Instant.now().plusSeconds(status == 200 ? 10 : 1); Instant.now().isBefore(deadline); Thread.sleep(100)) {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/devices/" + deviceId + "/latest"))
                    .header("Authorization", "Bearer " + agent).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == status && status != 200 || response.statusCode() == 200 && status == 200) {
                break;
            }
        }
        assertThat(response.statusCode()).as(deviceId + ": " + response.body()).isEqualTo(status);
        return Json.tree(response.body()).toString();
    }
}
