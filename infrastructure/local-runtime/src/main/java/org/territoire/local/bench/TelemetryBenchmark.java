package org.territoire.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Properties;
import org.territoire.local.runtime.DeviceSimulator;
import org.territoire.local.runtime.IotCoreEmulator;
import org.territoire.local.runtime.LocalPlatform;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.Wiring;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Telemetry ingestion: readings per second end to end through the local broker, rule and
 * ingest function, beside the local endpoint's raw write throughput measured in the same run;
 * DynamoDB request units per reading, counted in-process; and the AWS cost per million
 * readings computed from them. Not a test: it prints figures for docs/benchmarks.md.
 *
 * <p>Usage: {@code ./run-local.sh bench-telemetry [devices] [messages per device] [readings per message]}, or
 * {@code ./run-local.sh bench-telemetry units} for the request units and cost alone.
 */
public final class TelemetryBenchmark {
    private TelemetryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("units")) {
            // Request units and cost only: no end-to-end run, no MQTT figures.
            try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
                units(platform.aws().dynamoDb(), Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2)));
            }
            System.exit(0);
        }
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perMessage = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
            System.out.printf("Telemetry ingestion against the local platform: %d devices x %d messages x %d readings, JVM %s%n%n",
                    devices, messages, perMessage, System.getProperty("java.version"));
            DynamoDbClient plain = platform.aws().dynamoDb();
            Wiring wiring = Wiring.of(plain, "TelemetryTable", Clock.systemUTC(), PaginationKey.load());
            var devicesStore = wiring.devices();
            var readingsStore = wiring.readings();
            Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
            List<Device> fleet = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                Device device = new Device("bench-" + UUID.randomUUID(), d % 2 == 0 ? DeviceKind.ELECTRICITY_METER : DeviceKind.AIR_QUALITY,
                        "bench", null, null, null, null, null, start.minus(Duration.ofDays(1)), "bench");
                devicesStore.create(device);
                fleet.add(device);
            }
            // Each device is an IoT thing with a certificate for its own key, as registration makes it, so that it can connect.
            Map<String, String> certificates = new java.util.HashMap<>();
            try (var iot = org.territoire.shared.ddb.Aws.configure(software.amazon.awssdk.services.iot.IotClient.builder(), "IOT")
                    .httpClient(org.territoire.shared.ddb.Aws.httpClient()).build()) {
                var things = new org.territoire.telemetry.store.IotThingProvisioner(iot, "DevicePolicy");
                for (Device device : fleet) {
                    var csr = org.territoire.telemetry.device.CertificateRequest.parse(DeviceSimulator.identity(device.id()).csr());
                    certificates.put(device.id(), things.provision(device, java.util.Optional.of(csr)).credentials().certificatePem());
                }
            }

            // End to end: MQTT publish (QoS 1) → rule → ingest function → DynamoDB, until every reading is stored.
            long t0 = System.nanoTime();
            try (DeviceSimulator simulator = new DeviceSimulator("127.0.0.1", platform.iot().port())) {
                certificates.forEach(simulator::connect);
                for (int m = 0; m < messages; m++) {
                    for (Device device : fleet) {
                        simulator.publish(device.district(), device.id(), message(device, start.plus(Duration.ofMinutes((long) m * perMessage)), perMessage));
                    }
                }
            }
            long expected = (long) devices * messages * perMessage;
            long stored = 0;
            for (Instant deadline = Instant.now().plus(Duration.ofMinutes(30)); stored < expected && Instant.now().isBefore(deadline); ) {
                Thread.sleep(200);
                stored = fleet.stream().mapToLong(d -> readingsStore.between(d.id(), start, start.plus(Duration.ofDays(3))).size()).sum();
            }
            double endToEnd = (System.nanoTime() - t0) / 1e9;

            // The local endpoint alone, same run, same table: 8 threads of one small PutItem each.
            int raw = 400;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long r0 = System.nanoTime();
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < raw; i++) {
                puts.add(pool.submit(() -> plain.putItem(p -> p.tableName("TelemetryTable").item(Map.of(
                        "pk", AttributeValue.fromS("BENCH#" + UUID.randomUUID()), "sk", AttributeValue.fromS("RAW"))))));
            }
            for (Future<?> f : puts) {
                f.get();
            }
            double rawSeconds = (System.nanoTime() - r0) / 1e9;
            pool.shutdown();

            System.out.println("| measure | figure |");
            System.out.println("|---|---:|");
            System.out.printf("| readings stored end to end | %d of %d |%n", stored, expected);
            System.out.printf("| end-to-end ingestion (readings/s) | %.0f |%n", stored / endToEnd);
            System.out.printf("| end-to-end ingestion (messages/s) | %.1f |%n", devices * messages / endToEnd);
            System.out.printf("| raw endpoint PutItem, 8 threads (writes/s) | %.0f |%n", raw / rawSeconds);

            units(platform.aws().dynamoDb(), start);

            // The local IoT Core's front door (MqttGateway: authentication, policies, MQTT 5, in front of Moquette's 3.1.1),
            // against Moquette alone: QoS 1 publishes one after the other, each waiting for its PUBACK.
            System.out.println("\n| MQTT path (QoS 1, one at a time, 2000 messages) | messages/s | p50 ms | p99 ms |");
            System.out.println("|---|---:|---:|---:|");
            IotCoreEmulator.Credentials operator = platform.iot().operatorCredentials();
            Properties plainConfig = new Properties();
            int plainPort;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                plainPort = socket.getLocalPort();
            }
            plainConfig.setProperty("host", "127.0.0.1");
            plainConfig.setProperty("port", Integer.toString(plainPort));
            plainConfig.setProperty("allow_anonymous", "true");
            plainConfig.setProperty("persistence_enabled", "false");
            plainConfig.setProperty("telemetry_enabled", "false");
            plainConfig.setProperty("websocket_port", "disabled");
            plainConfig.setProperty("data_path", java.nio.file.Files.createTempDirectory("bench-mqtt").toString());
            io.moquette.broker.Server plain3 = new io.moquette.broker.Server();
            plain3.startServer(new io.moquette.broker.config.MemoryConfig(plainConfig));
            try {
                row("Moquette alone, MQTT 3.1.1, anonymous", mqtt3(plainPort, null, null, "bench/direct", 2000));
                row("gateway, MQTT 3.1.1, to a subscriber topic (gateway + broker)",
                        mqtt3(platform.iot().port(), operator.username(), operator.password(), "bench/gateway", 2000));
                row("gateway, MQTT 3.1.1, Basic Ingest to no rule (gateway only)",
                        mqtt3(platform.iot().port(), operator.username(), operator.password(), "$aws/rules/bench_none/x", 2000));
                row("gateway, MQTT 5, to a subscriber topic", mqtt5(platform.iot().port(), operator.username(), operator.password(),
                        "bench/gateway5", 2000));
            } finally {
                plain3.stopServer();
            }
        }
        System.exit(0);
    }

    private static void row(String label, double[] millis) {
        double[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        double total = java.util.Arrays.stream(millis).sum();
        System.out.printf(java.util.Locale.ROOT, "| %s | %.0f | %.2f | %.2f |%n", label, millis.length / (total / 1000),
                sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]);
    }

    /** Each publish's round trip in milliseconds, with the device SDK's MQTT 3.1.1 client. */
    private static double[] mqtt3(int port, String username, String password, String topic, int n) throws Exception {
        try (var loop = new software.amazon.awssdk.crt.io.EventLoopGroup(1);
             var resolver = new software.amazon.awssdk.crt.io.HostResolver(loop);
             var bootstrap = new software.amazon.awssdk.crt.io.ClientBootstrap(loop, resolver);
             var client = new software.amazon.awssdk.crt.mqtt.MqttClient(bootstrap);
             var config = new software.amazon.awssdk.crt.mqtt.MqttConnectionConfig()) {
            config.setMqttClient(client);
            config.setClientId("bench-" + UUID.randomUUID());
            if (username != null) {
                config.setUsername(username);
                config.setPassword(password);
            }
            config.setEndpoint("127.0.0.1");
            config.setPort(port);
            config.setCleanSession(true);
            config.setKeepAliveSecs(30);
            config.setSocketOptions(new software.amazon.awssdk.crt.io.SocketOptions());
            try (var connection = new software.amazon.awssdk.crt.mqtt.MqttClientConnection(config)) {
                connection.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
                byte[] payload = "{\"at\":\"2026-11-25T12:00:00Z\",\"pm2_5_ugm3\":12}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                double[] millis = new double[n];
                for (int i = -200; i < n; i++) { // 200 to warm up
                    long t = System.nanoTime();
                    connection.publish(new software.amazon.awssdk.crt.mqtt.MqttMessage(topic, payload,
                            software.amazon.awssdk.crt.mqtt.QualityOfService.AT_LEAST_ONCE)).get(10, java.util.concurrent.TimeUnit.SECONDS);
                    if (i >= 0) {
                        millis[i] = (System.nanoTime() - t) / 1e6;
                    }
                }
                connection.disconnect().get(10, java.util.concurrent.TimeUnit.SECONDS);
                return millis;
            }
        }
    }

    /** The same with the device SDK's MQTT 5 client. */
    private static double[] mqtt5(int port, String username, String password, String topic, int n) throws Exception {
        var connected = new java.util.concurrent.CompletableFuture<Boolean>();
        try (var loop = new software.amazon.awssdk.crt.io.EventLoopGroup(1);
             var resolver = new software.amazon.awssdk.crt.io.HostResolver(loop);
             var bootstrap = new software.amazon.awssdk.crt.io.ClientBootstrap(loop, resolver)) {
            var options = new software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions.Mqtt5ClientOptionsBuilder("127.0.0.1", (long) port)
                    .withBootstrap(bootstrap).withSocketOptions(new software.amazon.awssdk.crt.io.SocketOptions())
                    .withConnectOptions(new software.amazon.awssdk.crt.mqtt5.packets.ConnectPacket.ConnectPacketBuilder()
                            .withClientId("bench5-" + UUID.randomUUID()).withUsername(username)
                            .withPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8)).withKeepAliveIntervalSeconds(30L).build())
                    .withLifecycleEvents(new software.amazon.awssdk.crt.mqtt5.Mqtt5ClientOptions.LifecycleEvents() {
                        public void onAttemptingConnect(software.amazon.awssdk.crt.mqtt5.Mqtt5Client c,
                                                        software.amazon.awssdk.crt.mqtt5.OnAttemptingConnectReturn r) { }

                        public void onConnectionSuccess(software.amazon.awssdk.crt.mqtt5.Mqtt5Client c,
                                                        software.amazon.awssdk.crt.mqtt5.OnConnectionSuccessReturn r) {
                            connected.complete(true);
                        }

                        public void onConnectionFailure(software.amazon.awssdk.crt.mqtt5.Mqtt5Client c,
                                                        software.amazon.awssdk.crt.mqtt5.OnConnectionFailureReturn r) {
                            connected.completeExceptionally(new IllegalStateException("MQTT 5 connection failed: " + r.getErrorCode()));
                        }

                        public void onDisconnection(software.amazon.awssdk.crt.mqtt5.Mqtt5Client c,
                                                    software.amazon.awssdk.crt.mqtt5.OnDisconnectionReturn r) { }

                        public void onStopped(software.amazon.awssdk.crt.mqtt5.Mqtt5Client c,
                                              software.amazon.awssdk.crt.mqtt5.OnStoppedReturn r) { }
                    }).build();
            try (var client = new software.amazon.awssdk.crt.mqtt5.Mqtt5Client(options)) {
                client.start();
                connected.get(10, java.util.concurrent.TimeUnit.SECONDS);
                byte[] payload = "{\"at\":\"2026-11-25T12:00:00Z\",\"pm2_5_ugm3\":12}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                double[] millis = new double[n];
                for (int i = -200; i < n; i++) {
                    long t = System.nanoTime();
                    client.publish(new software.amazon.awssdk.crt.mqtt5.packets.PublishPacket.PublishPacketBuilder().withTopic(topic)
                            .withQOS(software.amazon.awssdk.crt.mqtt5.QOS.AT_LEAST_ONCE).withPayload(payload).build())
                            .get(10, java.util.concurrent.TimeUnit.SECONDS);
                    if (i >= 0) {
                        millis[i] = (System.nanoTime() - t) / 1e6;
                    }
                }
                client.stop();
                return millis;
            }
        }
    }

    /**
     * Request units per message and per reading, in-process, with ReturnConsumedCapacity and by
     * DynamoDB's rules ({@link ConsumedCapacityMeter}): for each kind and batch size, a first
     * message gives the device a history and warms the function (its device cache), then a
     * series of messages, each a minute after the last reading of the one before, is measured
     * as a whole, so that what happens once an hour or once a step (the hour's first rollup,
     * the last-heard index) is in the average.
     */
    static void units(DynamoDbClient plain, Instant start) {
        ConsumedCapacityMeter meter = new ConsumedCapacityMeter(plain, "TelemetryTable");
        // The function's clock follows the readings (each message a few seconds after its last reading), as for a device
        // sending as it measures: readings of hours long past would each be marked for the district sweep (1 WRU more).
        DeviceTime clock = new DeviceTime();
        Wiring counted = Wiring.of(meter.client(), "TelemetryTable", clock, PaginationKey.load());
        IngestService ingest = counted.ingest((r, o, a, d) -> { });
        System.out.println("\n| message | messages measured | calls a message | RRU a message | WRU a message | WRU per reading | RRU per reading "
                + "| reported RRU / WRU a message (local endpoint) | USD per million readings, on demand | USD per million, provisioned at 70 % |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (DeviceKind kind : List.of(DeviceKind.ELECTRICITY_METER, DeviceKind.AIR_QUALITY)) {
            for (int n : new int[] {1, 10, 60}) {
                int messages = n == 1 ? 120 : n == 10 ? 18 : 4; // two hours of readings a minute apart
                Device device = new Device("units-" + UUID.randomUUID(), kind, "bench", null, null, null, null, null, start, "bench");
                counted.devices().create(device);
                Instant at = start.plus(Duration.ofHours(30));
                clock.at = at.plus(Duration.ofMinutes(n - 1)).plusSeconds(5);
                ingest.ingest(addressed(device, message(device, at, n)));
                meter.reset();
                for (int m = 1; m <= messages; m++) {
                    Instant from = at.plus(Duration.ofMinutes((long) m * n));
                    clock.at = from.plus(Duration.ofMinutes(n - 1)).plusSeconds(5);
                    ingest.ingest(addressed(device, message(device, from, n)));
                }
                double wru = meter.writeUnits() / messages;
                double rru = meter.readUnits() / messages;
                System.out.printf(java.util.Locale.ROOT, "| %s, %d reading%s a message | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f / %.1f | %.2f | %.2f |%n",
                        kind, n, n > 1 ? "s" : "", messages, (double) meter.calls() / messages, rru, wru, wru / n, rru / n,
                        meter.reportedReadUnits() / messages, meter.reportedWriteUnits() / messages,
                        costPerMillion(wru / n, rru / n, n, WRU, RRU), costPerMillion(wru / n, rru / n, n, PROVISIONED_WRU, PROVISIONED_RRU));
            }
        }
    }

    /** A clock set by the benchmark: the time a message is ingested. */
    private static final class DeviceTime extends Clock {
        volatile Instant at = Instant.now();

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return at;
        }
    }

    private static ObjectNode addressed(Device device, String body) {
        ObjectNode message = (ObjectNode) Json.tree(body);
        message.put("deviceId", device.id()).put("district", device.district()).put("clientId", device.id());
        return message;
    }

    // Price assumptions (us-east-1 public prices, November 2024; check your region's):
    static final double WRU = 0.625;           // USD per million on-demand write request units
    static final double RRU = 0.125;           // USD per million on-demand read request units
    // Provisioned capacity, for a steady fleet: USD 0.00065 per WCU-hour and 0.00013 per RCU-hour, with auto scaling
    // holding utilisation at 70 %: a unit-second costs price/3600, a used one price/3600/0.7.
    static final double PROVISIONED_WRU = 0.00065 / 3600 / 0.7 * 1e6;
    static final double PROVISIONED_RRU = 0.00013 / 3600 / 0.7 * 1e6;
    static final double RULE = 0.15 + 0.15;    // USD per million IoT rules triggered + actions executed (Basic Ingest: no messaging charge)
    static final double INVOKE = 0.20;         // USD per million Lambda requests
    static final double GB_SECOND = 0.0000133334; // USD per GB-second, arm64
    static final double SECONDS_PER_MESSAGE = 0.05; // assumed warm duration of one ingestion in AWS (1 GB function)

    /** DynamoDB requests per reading, plus the rule and the invocation shared by the readings of one message. */
    static double costPerMillion(double wruPerReading, double rruPerReading, int readingsPerMessage, double wruPrice, double rruPrice) {
        double perMessage = RULE + INVOKE + 1e6 * GB_SECOND * SECONDS_PER_MESSAGE;
        return wruPerReading * wruPrice + rruPerReading * rruPrice + perMessage / readingsPerMessage;
    }

    /** {@code n} readings a minute apart from {@code from}. */
    private static String message(Device device, Instant from, int n) {
        List<String> readings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = from.plus(Duration.ofMinutes(i));
            readings.add(device.kind() == DeviceKind.ELECTRICITY_METER
                    ? String.format(java.util.Locale.ROOT, "{\"at\":\"%s\",\"energy_kwh\":%.3f}", at, at.getEpochSecond() / 60.0 * 0.02)
                    : "{\"at\":\"%s\",\"pm2_5_ugm3\":%d,\"pm10_ugm3\":%d}".formatted(at, 10 + i % 7, 20 + i % 5));
        }
        return "{\"readings\":[" + String.join(",", readings) + "]}";
    }
}
