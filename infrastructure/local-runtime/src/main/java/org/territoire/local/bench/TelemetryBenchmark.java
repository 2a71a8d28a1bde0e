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
import org.territoire.local.runtime.DeviceSimulator;
import org.territoire.local.runtime.LocalPlatform;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.alert.AlertEvaluator;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.ingest.IngestService;
import org.territoire.telemetry.store.DynamoTelemetryStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Telemetry ingestion: readings per second end to end through the local broker, rule and
 * ingest function, beside the local endpoint's raw write throughput measured in the same run;
 * DynamoDB request units per reading, counted in-process; and the AWS cost per million
 * readings computed from them. Not a test: it prints figures for docs/benchmarks.md.
 *
 * <p>Usage: {@code ./run-local.sh bench-telemetry [devices] [messages per device] [readings per message]}
 */
public final class TelemetryBenchmark {
    private TelemetryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perMessage = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
            System.out.printf("Telemetry ingestion against the local platform: %d devices x %d messages x %d readings, JVM %s%n%n",
                    devices, messages, perMessage, System.getProperty("java.version"));
            DynamoDbClient plain = platform.aws().dynamoDb();
            DynamoTelemetryStore store = new DynamoTelemetryStore(plain, "TelemetryTable", PaginationKey.load());
            Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
            List<Device> fleet = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                Device device = new Device("bench-" + UUID.randomUUID(), d % 2 == 0 ? DeviceKind.ELECTRICITY_METER : DeviceKind.AIR_QUALITY,
                        "bench", null, null, null, null, null, start.minus(Duration.ofDays(1)), "bench");
                store.create(device);
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
                stored = fleet.stream().mapToLong(d -> store.between(d.id(), start, start.plus(Duration.ofDays(3))).size()).sum();
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

            // Request units per reading, counted on the calls of one in-process ingestion.
            DynamoCallCounter counter = new DynamoCallCounter();
            DynamoDbClient counted = counter.client();
            DynamoTelemetryStore countedStore = new DynamoTelemetryStore(counted, "TelemetryTable", PaginationKey.load());
            IngestService ingest = new IngestService(countedStore, countedStore, new AlertEvaluator(countedStore, countedStore),
                    (r, o, a, d) -> { }, Map.of(), Clock.systemUTC());
            System.out.println("\n| message | readings | calls | read units | write units | WRU per reading | RRU per reading | USD per million readings |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (DeviceKind kind : List.of(DeviceKind.ELECTRICITY_METER, DeviceKind.AIR_QUALITY)) {
                for (int n : new int[] {1, 10, 60}) {
                    Device device = new Device("units-" + UUID.randomUUID(), kind, "bench", null, null, null, null, null, start, "bench");
                    store.create(device);
                    ObjectNode message = (ObjectNode) Json.tree(message(device, start.plus(Duration.ofHours(30)), n));
                    message.put("deviceId", device.id()).put("district", "bench").put("clientId", device.id());
                    ingest.ingest(message); // the first message of a device has no history: measure the second
                    ObjectNode next = (ObjectNode) Json.tree(message(device, start.plus(Duration.ofHours(30)).plus(Duration.ofMinutes(n)), n));
                    next.put("deviceId", device.id()).put("district", "bench").put("clientId", device.id());
                    counter.reset();
                    ingest.ingest(next);
                    double wru = counter.writeUnits() / n;
                    double rru = counter.readUnits() / n;
                    System.out.printf("| %s, %d reading%s a message | %d | %d | %.1f | %.0f | %.2f | %.2f | %.2f |%n", kind, n, n > 1 ? "s" : "", n,
                            counter.calls(), counter.readUnits(), counter.writeUnits(), wru, rru, costPerMillion(wru, rru, n));
                }
            }
        }
        System.exit(0);
    }

    // Price assumptions (us-east-1 public prices, November 2024; check your region's):
    static final double WRU = 0.625;           // USD per million on-demand write request units
    static final double RRU = 0.125;           // USD per million on-demand read request units
    static final double RULE = 0.15 + 0.15;    // USD per million IoT rules triggered + actions executed (Basic Ingest: no messaging charge)
    static final double INVOKE = 0.20;         // USD per million Lambda requests
    static final double GB_SECOND = 0.0000133334; // USD per GB-second, arm64
    static final double SECONDS_PER_MESSAGE = 0.05; // assumed warm duration of one ingestion in AWS (1 GB function)

    /** DynamoDB requests per reading, plus the rule and the invocation shared by the readings of one message. */
    static double costPerMillion(double wruPerReading, double rruPerReading, int readingsPerMessage) {
        double perMessage = RULE + INVOKE + 1e6 * GB_SECOND * SECONDS_PER_MESSAGE;
        return wruPerReading * WRU + rruPerReading * RRU + perMessage / readingsPerMessage;
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
