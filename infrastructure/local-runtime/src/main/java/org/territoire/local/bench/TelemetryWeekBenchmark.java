package org.territoire.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.local.aws.SamTemplate;
import org.territoire.local.runtime.DeviceSimulator;
import org.territoire.local.runtime.FunctionHost;
import org.territoire.local.runtime.LocalIssuer;
import org.territoire.local.runtime.LocalPlatform;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A week of the demo's simulated telemetry: does ingestion, and does every telemetry read
 * route, cost the same after a week of data as after the first day? Not a test: it prints
 * figures for docs/benchmarks.md.
 *
 * <p>The demo fleet ({@link DeviceSimulator#fleet()}: 8 devices, a reading a minute each,
 * 11,520 readings a day) is registered through the API, then a week of its readings is
 * loaded into the local endpoint. To load 80,640 readings in minutes rather than hours,
 * <b>59 readings of each device-hour are written directly</b> with {@code BatchWriteItem}, in
 * the shape the telemetry function writes a raw reading today ({@code pk DEVICE#id},
 * {@code sk R#<epoch ms, 15 digits>}, {@code at}, {@code values}, {@code expiresAt}; see
 * {@code DynamoTelemetryStore.put}), and <b>the 60th goes through the real ingest function</b>
 * (the IoT rule's event, in-process as the local IoT Core invokes it; one message a device and
 * a day), which stores it and writes that hour's, day's and month's rollups, the latest value
 * and the alerts as it always does. If the function's reading item changes shape, change {@link #readingItem} with it.
 *
 * <p>Measured at the end of day 1 and at the end of day 7, in the same run: ingestion of a
 * 1-reading and a 10-reading message (the real function), and each telemetry read route over
 * HTTP through the local HTTP API, on windows of the same length at the end of the data.
 *
 * <p>Usage: {@code ./run-local.sh bench-telemetry-week [reps]}
 */
public final class TelemetryWeekBenchmark {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TABLE = "TelemetryTable";

    private final LocalPlatform platform;
    private final DynamoDbClient dynamo;
    private final FunctionHost functions = new FunctionHost();
    private final SamTemplate.Function ingest;
    private final SamTemplate.Function sweep;
    private final DeviceSimulator simulator;
    private final List<DeviceSimulator.Simulated> fleet = DeviceSimulator.fleet();
    private final String owner;
    private final String resident;
    private long direct;
    private long ingested;

    private TelemetryWeekBenchmark(LocalPlatform platform) {
        this.platform = platform;
        this.dynamo = platform.aws().dynamoDb();
        this.ingest = platform.aws().template().function("TelemetryIngestFunction");
        this.sweep = platform.aws().template().function("TelemetrySweepFunction");
        this.simulator = new DeviceSimulator("127.0.0.1", platform.iot().port());
        this.owner = platform.issuer().mint(LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre"));
        this.resident = platform.issuer().mint(LocalIssuer.User.of("alice", "resident").inDistrict("centre"));
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
            TelemetryWeekBenchmark bench = new TelemetryWeekBenchmark(platform);
            System.out.printf("A week of the demo fleet's telemetry (%d devices, a reading a minute each), JVM %s%n%n",
                    bench.fleet.size(), System.getProperty("java.version"));
            String agent = platform.issuer().mint(LocalIssuer.User.of("agent-demo", "agent").ofOrganisation("mairie"));
            bench.simulator.register(platform.apiUrl(), agent, bench.fleet);
            Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
            Instant start = end.minus(Duration.ofDays(7));
            Instant dayOne = start.plus(Duration.ofDays(1));

            long t0 = System.nanoTime();
            bench.load(start, dayOne);
            System.out.printf("day 1 loaded: %d readings (%d written directly, %d through the ingest function) in %.0f s%n",
                    bench.direct + bench.ingested, bench.direct, bench.ingested, (System.nanoTime() - t0) / 1e9);
            Map<String, Double> first = bench.measure(dayOne, reps);
            t0 = System.nanoTime();
            bench.load(dayOne, end);
            System.out.printf("days 2 to 7 loaded: %d readings in all in %.0f s%n%n", bench.direct + bench.ingested,
                    (System.nanoTime() - t0) / 1e9);
            Map<String, Double> week = bench.measure(end, reps);

            System.out.println("| median ms (" + reps + " calls each) | after day 1 | after day 7 | day 7 / day 1 (goal ≤ 1.5x) |");
            System.out.println("|---|---:|---:|---:|");
            first.forEach((what, ms) -> System.out.printf("| %s | %.1f | %.1f | %.2fx |%n", what, ms, week.get(what), week.get(what) / ms));
            bench.simulator.close();
        }
        System.exit(0);
    }

    /**
     * The fleet's readings in [from, to), hour by hour: 59 a device-hour directly, the last
     * through the function, one message a device and a day (its 24 last-minute readings: the
     * function recomputes every hour, day and month a message touches, from what is stored).
     */
    private void load(Instant from, Instant to) throws Exception {
        List<WriteRequest> batch = new ArrayList<>();
        List<List<String>> lasts = new ArrayList<>();
        fleet.forEach(d -> lasts.add(new ArrayList<>()));
        for (Instant hour = from; hour.isBefore(to); hour = hour.plus(Duration.ofHours(1))) {
            for (int slot = 0; slot < fleet.size(); slot++) {
                DeviceSimulator.Simulated device = fleet.get(slot);
                for (int minute = 0; minute < 59; minute++) {
                    JsonNode reading = Json.tree(simulator.reading(slot, device, hour.plus(Duration.ofMinutes(minute)), Duration.ofMinutes(1)));
                    batch.add(WriteRequest.builder().putRequest(p -> p.item(readingItem(device.id(), reading))).build());
                    if (batch.size() == 25) {
                        write(batch);
                    }
                }
                lasts.get(slot).add(simulator.reading(slot, device, hour.plus(Duration.ofMinutes(59)), Duration.ofMinutes(1)));
            }
            boolean dayDone = lasts.get(0).size() == 24 || !hour.plus(Duration.ofHours(1)).isBefore(to);
            if (dayDone) {
                write(batch);
                for (int slot = 0; slot < fleet.size(); slot++) {
                    invokeIngest(fleet.get(slot), "{\"readings\":[" + String.join(",", lasts.get(slot)) + "]}");
                    lasts.get(slot).clear();
                }
            }
        }
        write(batch);
    }

    /** A raw reading as {@code DynamoTelemetryStore.put} writes it (raw retention: 365 days, the template's default). */
    static Map<String, AttributeValue> readingItem(String deviceId, JsonNode reading) {
        Instant at = Instant.parse(reading.path("at").asText());
        Map<String, AttributeValue> values = new HashMap<>();
        reading.properties().forEach(e -> {
            if (!"at".equals(e.getKey()) && e.getValue().isNumber()) {
                values.put(e.getKey(), AttributeValue.fromN(e.getValue().asText()));
            }
        });
        return Map.of("pk", AttributeValue.fromS("DEVICE#" + deviceId), "sk", AttributeValue.fromS(String.format("R#%015d", at.toEpochMilli())),
                "at", AttributeValue.fromS(at.toString()), "values", AttributeValue.fromM(values),
                "expiresAt", AttributeValue.fromN(Long.toString(at.plus(Duration.ofDays(365)).getEpochSecond())));
    }

    private void write(List<WriteRequest> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<WriteRequest>> pending = Map.of(TABLE, List.copyOf(batch));
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> request = pending;
            pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
        }
        direct += batch.size();
        batch.clear();
    }

    /** The ingest function, with the event the template's IoT rule makes of a message (SELECT *, topic(3), topic(4), clientid(), timestamp()). */
    private double invokeIngest(DeviceSimulator.Simulated device, String message) throws Exception {
        ObjectNode event = (ObjectNode) Json.tree(message);
        event.put("district", device.district()).put("deviceId", device.id()).put("clientId", device.id())
                .put("receivedAt", Instant.now().toEpochMilli());
        long t0 = System.nanoTime();
        JsonNode result = Json.tree(new String(functions.invoke(ingest, Json.write(event).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        double ms = (System.nanoTime() - t0) / 1e6;
        // A benchmark of refused readings would measure nothing: every reading must be stored.
        if (result.path("stored").asInt(0) != event.path("readings").size()) {
            throw new IllegalStateException("the ingest function did not store every reading of " + message + ": " + result);
        }
        ingested += event.path("readings").size();
        return ms;
    }

    /**
     * The telemetry sweep, as its schedule runs it, until it has computed every district hour the
     * loaded readings marked (the readings of the ingested messages are of hours that ended long
     * ago, so ingestion marked each of them; the directly written ones are in the same hours).
     */
    private void sweep() throws Exception {
        long t0 = System.nanoTime();
        int runs = 0, hours = 0, marked = 0;
        for (JsonNode result = null; result == null || result.path("districtHours").asInt() + result.path("districtHoursMarked").asInt() > 0; runs++) {
            result = Json.tree(new String(functions.invoke(sweep, "{}".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
            hours += result.path("districtHours").asInt();
            marked += result.path("districtHoursMarked").asInt();
        }
        System.out.printf("sweep: %d runs, %d district hours in order, %d marked, in %.0f s%n", runs, hours, marked, (System.nanoTime() - t0) / 1e9);
    }

    /** Ingestion and every read route at the end of the data ({@code end}), medians of {@code reps} calls. */
    private Map<String, Double> measure(Instant end, int reps) throws Exception {
        sweep();
        Map<String, Double> medians = new LinkedHashMap<>();
        DeviceSimulator.Simulated meter = fleet.stream().filter(d -> d.id().equals("sim-meter-demo")).findFirst().orElseThrow();
        DeviceSimulator.Simulated air = fleet.stream().filter(d -> d.id().equals("sim-air-marche")).findFirst().orElseThrow();
        int meterSlot = fleet.indexOf(meter);
        int airSlot = fleet.indexOf(air);
        List<Double> one = new ArrayList<>();
        List<Double> ten = new ArrayList<>();
        for (int k = 0; k < reps; k++) {
            // Seconds after the data's end: they never collide with the whole minutes loaded later.
            one.add(invokeIngest(meter, "{\"readings\":[" + simulator.reading(meterSlot, meter, end.plusSeconds(1 + k), Duration.ofSeconds(1)) + "]}"));
            List<String> readings = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                readings.add(simulator.reading(airSlot, air, end.plusSeconds(100 + 10L * k + j), Duration.ofSeconds(1)));
            }
            ten.add(invokeIngest(air, "{\"readings\":[" + String.join(",", readings) + "]}"));
        }
        medians.put("ingest a 1-reading message (electricity meter)", median(one));
        medians.put("ingest a 10-reading message (air quality)", median(ten));

        LocalDate today = LocalDate.ofInstant(end, PARIS);
        LocalDate yesterday = today.minusDays(1);
        String hourAgo = end.minus(Duration.ofHours(1)).toString();
        String dayAgo = end.minus(Duration.ofDays(1)).toString();
        Map<String, String[]> routes = new LinkedHashMap<>();
        routes.put("GET /devices/{id}/latest", new String[] {owner, "/devices/sim-meter-demo/latest"});
        routes.put("GET /devices/{id}/readings, last hour (60)", new String[] {owner, "/devices/sim-meter-demo/readings?from=" + hourAgo + "&to=" + end});
        routes.put("GET /devices/{id}/readings, last day, limit 1000", new String[] {owner,
                "/devices/sim-meter-demo/readings?from=" + dayAgo + "&to=" + end + "&limit=1000"});
        routes.put("GET /devices/{id}/rollups?period=hour, last day (24)", new String[] {owner,
                "/devices/sim-meter-demo/rollups?period=hour&from=" + dayAgo + "&to=" + end});
        routes.put("GET /devices/{id}/rollups?period=day, 2 days", new String[] {owner,
                "/devices/sim-meter-demo/rollups?period=day&from=" + yesterday + "&to=" + today});
        routes.put("GET /devices/{id}/ngsi-ld", new String[] {resident, "/devices/sim-air-marche/ngsi-ld"});
        routes.put("GET /ngsi-ld/v1/entities (air quality, centre)", new String[] {resident,
                "/ngsi-ld/v1/entities?type=AirQualityObserved&q=" + URLEncoder.encode("areaServed==\"centre\"", StandardCharsets.UTF_8)});
        routes.put("GET /devices/mine", new String[] {owner, "/devices/mine"});
        routes.put("GET /alerts?active=true", new String[] {owner, "/alerts?active=true"});
        routes.put("GET /districts/{d}/aggregates, a day", new String[] {resident,
                "/districts/centre/aggregates?kind=ELECTRICITY_METER&period=" + yesterday});
        routes.put("GET /me/telemetry?limit=100 (export, first page)", new String[] {owner, "/me/telemetry?limit=100"});
        for (var route : routes.entrySet()) {
            get(route.getValue()[0], route.getValue()[1]); // warm
            List<Double> ms = new ArrayList<>();
            for (int k = 0; k < reps; k++) {
                ms.add(get(route.getValue()[0], route.getValue()[1]));
            }
            medians.put(route.getKey(), median(ms));
        }
        return medians;
    }

    private double get(String token, String pathAndQuery) throws Exception {
        URI uri = platform.apiUrl().resolve(pathAndQuery);
        long t0 = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        double ms = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + response.statusCode() + " " + response.body());
        }
        return ms;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
