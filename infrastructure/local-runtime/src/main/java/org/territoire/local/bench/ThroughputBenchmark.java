package org.territoire.local.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.local.runtime.LocalIssuer;
import org.territoire.local.runtime.LocalPlatform;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Booking, voting and rating throughput of the local platform, as a client sees it (over HTTP
 * through the local HTTP API, the JWT check, the real functions and the local endpoint),
 * against the raw {@code PutItem} rate of the same endpoint in the same run; then the same
 * again once the bookings table holds {@code fill} more bookings (written directly, see {@link #fill}).
 * Not a test: it prints figures for docs/benchmarks.md.
 *
 * <p>Usage: {@code ./run-local.sh bench-throughput [threads] [fill]} (defaults 8 and 10000)
 */
public final class ThroughputBenchmark {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int REQUESTS = 400;

    private final LocalPlatform platform;
    private final String agent;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private ThroughputBenchmark(LocalPlatform platform) {
        this.platform = platform;
        this.agent = platform.issuer().mint(LocalIssuer.User.of("bench-agent", "agent").ofOrganisation("mairie"));
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int fill = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
            ThroughputBenchmark bench = new ThroughputBenchmark(platform);
            System.out.printf("Throughput through the local HTTP API, %d client threads, %d requests a scenario, JVM %s%n%n",
                    threads, REQUESTS, System.getProperty("java.version"));
            bench.round(threads, "warm-up", false);
            bench.round(threads, "empty tables", true);
            long t0 = System.nanoTime();
            bench.fill(fill);
            System.out.printf("(bookings table filled with %d more bookings in %.0f s)%n%n", fill, (System.nanoTime() - t0) / 1e9);
            bench.round(threads, "after " + fill + " more bookings in the table", true);
        }
        System.exit(0);
    }

    /**
     * {@code count} more bookings in the bookings table, <b>written directly</b> with
     * BatchWriteItem (through the API it would take longer than the rest of the benchmark):
     * copies of a booking item the function wrote in the round before, every attribute kept,
     * with a new {@code pk} and, where present, a new booker in {@code gsi1pk} and a new {@code id},
     * so that the table, its GSIs and the resource's bookings index hold them as they would.
     */
    private void fill(int count) {
        DynamoDbClient dynamo = platform.aws().dynamoDb();
        Map<String, AttributeValue> model = dynamo.scanPaginator(r -> r.tableName("BookingsTable")).items().stream()
                .filter(i -> i.containsKey("pk") && i.get("pk").s() != null && i.get("pk").s().startsWith("BOOKING#"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no booking item to copy"));
        java.util.List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            Map<String, AttributeValue> item = new java.util.HashMap<>(model);
            item.put("pk", AttributeValue.fromS("BOOKING#" + id));
            if (item.containsKey("id")) {
                item.put("id", AttributeValue.fromS(id));
            }
            if (item.containsKey("gsi1pk")) {
                item.put("gsi1pk", AttributeValue.fromS("USER#fill-" + i));
            }
            batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder().putRequest(p -> p.item(item)).build());
            if (batch.size() == 25 || i == count - 1) {
                Map<String, java.util.List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending = Map.of("BookingsTable", java.util.List.copyOf(batch));
                while (!pending.isEmpty()) {
                    var request = pending;
                    pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
                batch.clear();
            }
        }
    }

    /**
     * One round: 400 bookings, 400 votes, 400 ratings, 400 raw puts, each from {@code threads}
     * threads, in four interleaved slices of 100 each, so that a change of the machine's load
     * during the round weighs on every scenario alike.
     */
    private void round(int threads, String label, boolean print) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String resource = resource(1000);
        String poll = poll();
        String service = service();
        DynamoDbClient dynamo = platform.aws().dynamoDb();
        int slices = 4;
        int slice = REQUESTS / slices;
        Load.Run bookings = null;
        Load.Run votes = null;
        Load.Run ratings = null;
        Load.Run puts = null;
        for (int k = 0; k < slices; k++) {
            int base = k * slice;
            bookings = Load.add(bookings, Load.run(threads, slice, i -> () -> book(tag + "-b" + (base + i), resource, 0, 3 + (base + i) % 20)));
            votes = Load.add(votes, Load.run(threads, slice, i -> () -> vote(tag + "-v" + (base + i), poll)));
            ratings = Load.add(ratings, Load.run(threads, slice, i -> () -> rate(tag + "-r" + (base + i), service)));
            puts = Load.add(puts, Load.run(threads, slice, i -> () -> {
                dynamo.putItem(p -> p.tableName("BookingsTable").item(Map.of("pk", AttributeValue.fromS("BENCH#" + UUID.randomUUID()),
                        "sk", AttributeValue.fromS("RAW"))));
                return new ApiResponse(201, Map.of(), null);
            }));
        }
        if (!print) {
            return;
        }
        double raw = puts.results().size() / puts.seconds();
        System.out.println("**" + label + "**\n");
        System.out.println("| scenario | requests | 2xx | 409 | 5xx | throughput (req/s) | % of raw PutItem | p50 (ms) | p99 (ms) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        row("book a 1-hour slot (capacity 1000, 20 hours)", bookings, raw);
        row("vote in a poll (3 answers)", votes, raw);
        row("rate a service", ratings, raw);
        row("raw endpoint: PutItem of one small item (SDK, no HTTP API)", puts, raw);
        System.out.println();
    }

    private static void row(String label, Load.Run run, double raw) {
        double[] ms = run.results().stream().mapToDouble(Load.Result::millis).sorted().toArray();
        long ok = run.results().stream().filter(r -> r.status() / 100 == 2).count();
        long conflict = run.results().stream().filter(r -> r.status() == 409).count();
        long errors = run.results().stream().filter(r -> r.status() >= 500).count();
        double rate = ms.length / run.seconds();
        System.out.printf("| %s | %d | %d | %d | %d | %.0f | %.0f %% | %.1f | %.1f |%n", label, ms.length, ok, conflict, errors, rate,
                100 * rate / raw, ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(0.99 * ms.length) - 1)]);
    }

    private String resident(String sub) {
        return tokens.computeIfAbsent(sub, s -> platform.issuer().mint(LocalIssuer.User.of(s, "resident").inDistrict("centre")));
    }

    private ApiResponse book(String user, String resource, int week, int hour) throws Exception {
        LocalDate day = LocalDate.now(PARIS).plusDays(3 + 7L * week);
        String start = day.atTime(hour, 0).atZone(PARIS).toOffsetDateTime().toString();
        String end = day.atTime(hour, 0).plusHours(1).atZone(PARIS).toOffsetDateTime().toString();
        return post(resident(user), "/bookings", "{\"resourceId\":\"" + resource + "\",\"start\":\"" + start + "\",\"end\":\"" + end + "\",\"units\":1}");
    }

    private ApiResponse vote(String user, String poll) throws Exception {
        return post(resident(user), "/consultations/" + poll + "/participation",
                "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c2\"]},{\"questionId\":\"q2\",\"choices\":[\"c1\",\"c3\"]},{\"questionId\":\"q3\",\"value\":4}]}");
    }

    private ApiResponse rate(String user, String service) throws Exception {
        return post(resident(user), "/services/" + service + "/evaluations", "{\"rating\":4,\"comment\":\"Très bien\"}");
    }

    private String resource(int capacity) throws Exception {
        return created(post(agent, "/resources", Json.write(Map.of("kind", "COWORKING_DESK", "name", "bench " + UUID.randomUUID(),
                "district", "centre", "capacity", capacity, "slotMinutes", 60, "maxDurationMinutes", 480, "maxAdvanceDays", 90,
                "organisationId", "bench"))), "id");
    }

    private String poll() throws Exception {
        Instant opens = Instant.now().minusSeconds(60);
        String id = Json.tree(created(post(agent, "/consultations", "{\"title\":\"Bench " + UUID.randomUUID() + "\",\"description\":\"Benchmark\","
                + "\"kind\":\"POLL\",\"allowChange\":false,\"opensAt\":\"" + opens + "\",\"closesAt\":\"" + opens.plus(Duration.ofDays(1)) + "\","
                + "\"questions\":[{\"text\":\"Quel jour ?\",\"type\":\"SINGLE_CHOICE\",\"choices\":[\"Mardi\",\"Samedi\",\"Dimanche\"]},"
                + "{\"text\":\"Quels produits ?\",\"type\":\"MULTIPLE_CHOICE\",\"choices\":[\"Pain\",\"Fleurs\",\"Fromages\"],\"maxChoices\":2},"
                + "{\"text\":\"Intérêt\",\"type\":\"SCALE\"}]}"), "consultation")).path("id").asText();
        ApiResponse scheduled = post(agent, "/consultations/" + id + "/schedule", null);
        if (scheduled.statusCode() / 100 != 2) {
            throw new IllegalStateException("scheduling the poll: " + scheduled.statusCode() + " " + scheduled.body());
        }
        return id;
    }

    private String service() throws Exception {
        return created(post(agent, "/services", "{\"name\":\"Bench " + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"kind\":\"PEER\",\"category\":\"equipment-sharing\",\"organisationId\":\"asso-bench\",\"districts\":[\"centre\"]}"), "id");
    }

    private static String created(ApiResponse response, String field) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        var node = Json.tree(response.body()).path(field);
        return node.isTextual() ? node.asText() : Json.write(node);
    }

    private ApiResponse post(String token, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new ApiResponse(response.statusCode(), Map.of(), response.body());
    }
}
