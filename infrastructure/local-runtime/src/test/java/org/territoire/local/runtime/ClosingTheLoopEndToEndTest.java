package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.loop.FeedbackSweepHandler;
import org.territoire.feedback.loop.LoopService;
import org.territoire.feedback.loop.LoopWiring;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.EventBridgeDomainEvents;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Closing the loop on reports (issue 18), over HTTP against the local platform: a resolved
 * report's author is asked once, even by two sweeps at once, answers once, and "no" reopens
 * it; residents' reopen requests, sent many at once, leave one per person, which the operator
 * refuses or accepts. The sweep is the function's own handler, run at a clock four weeks on,
 * over the local endpoint and the local EventBridge.
 */
class ClosingTheLoopEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static EventBridgeClient bus;
    private static String agent;
    private static String organisation;
    private static String provider;
    private static String service;

    /** What the test's sweeps published, as well as on the local bus. */
    private static final List<Map<String, Object>> CHECKS_DUE = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        bus = EventBridgeClient.builder().endpointOverride(platform.events().url()).region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-loop", "agent").ofOrganisation("mairie"));
        organisation = "loop-" + UUID.randomUUID().toString().substring(0, 8);
        provider = platform.issuer().mint(LocalIssuer.User.of("staff-" + organisation, "provider").ofOrganisation(organisation));
        service = send("POST", "/services", agent, Json.write(Map.of("name", "Éclairage " + organisation, "kind", "TERRITORIAL",
                "category", "waste-management", "organisationId", organisation, "districts", List.of("centre"))), 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        bus.close();
        platform.close();
    }

    @Test
    void theSweepAsksOnce_evenTwiceAtOnce_onlyTheAuthorAnswers_once_andNoReopens() throws Exception {
        String alice = resident("alice-" + UUID.randomUUID());
        String report = resolvedReportBy(alice);
        assertThat(send("GET", "/reports/" + report + "/resolution-check", alice, null, 200).path("state").asText()).isEqualTo("PENDING");
        send("POST", "/reports/" + report + "/resolution-check", alice, "{\"answer\":\"NO\"}", 422);

        Instant fourWeeksOn = Instant.now().plus(Duration.ofDays(28)).plus(Duration.ofMinutes(1));
        sweepTwiceAtOnce(fourWeeksOn);
        assertThat(CHECKS_DUE.stream().filter(d -> report.equals(d.get("reportId"))).toList()).as("asked once").singleElement()
                .satisfies(d -> assertThat(d).containsEntry("authorId", sub(alice)).containsKey("resolvedAt"));
        sweep(fourWeeksOn.plus(Duration.ofHours(1)));
        assertThat(CHECKS_DUE.stream().filter(d -> report.equals(d.get("reportId")))).as("still once").hasSize(1);
        assertThat(send("GET", "/reports/" + report + "/resolution-check", provider, null, 200).path("state").asText()).isEqualTo("DUE");

        String bob = resident("bob-" + UUID.randomUUID());
        send("POST", "/reports/" + report + "/resolution-check", bob, "{\"answer\":\"NO\"}", 403);
        send("GET", "/reports/" + report + "/resolution-check", bob, null, 403);
        JsonNode invalid = send("POST", "/reports/" + report + "/resolution-check", alice, "{\"answer\":\"MAYBE\"}", 400);
        assertThat(invalid.toString()).contains("answer").doesNotContain("MAYBE");

        JsonNode answered = send("POST", "/reports/" + report + "/resolution-check", alice,
                "{\"answer\":\"NO\",\"comment\":\"Toujours éteint le soir\"}", 200);
        assertThat(answered.path("state").asText()).isEqualTo("ANSWERED");
        JsonNode view = send("GET", "/reports/" + report, bob, null, 200);
        assertThat(view.path("report").path("status").asText()).isEqualTo("OPEN");
        JsonNode last = view.path("history").get(view.path("history").size() - 1);
        assertThat(last.path("from").asText()).isEqualTo("RESOLVED");
        assertThat(last.path("to").asText()).isEqualTo("OPEN");
        assertThat(last.path("actorRole").asText()).isEqualTo("resident");
        assertThat(last.path("note").asText()).isEqualTo("Toujours éteint le soir");
        assertThat(send("GET", "/organisations/" + organisation + "/reports?status=OPEN", provider, null, 200)
                .path("items").findValuesAsText("id")).as("back in the operator's queue").contains(report);
        send("POST", "/reports/" + report + "/resolution-check", alice, "{\"answer\":\"YES\"}", 422);
    }

    @Test
    void duplicateReopenRequestsAtOnce_leaveOne_whichTheOperatorRefusesOrAccepts() throws Exception {
        String alice = resident("alice-" + UUID.randomUUID());
        String report = resolvedReportBy(alice);
        String bob = resident("bob-" + UUID.randomUUID());
        String body = "{\"reason\":\"Toujours en panne ce soir, rue Neuve\"}";

        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return request("POST", "/reports/" + report + "/reopen-requests", bob, body).statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> f : sent) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        String carol = resident("carol-" + UUID.randomUUID());
        send("POST", "/reports/" + report + "/reopen-requests", carol, "{\"reason\":\"Pareil de mon côté depuis lundi\"}", 201);
        send("POST", "/reports/" + report + "/reopen-requests", carol, "{\"reason\":\"court\"}", 400);

        JsonNode queue = send("GET", "/organisations/" + organisation + "/reopen-requests", provider, null, 200);
        assertThat(queue.path("items").findValuesAsText("requesterId")).containsExactlyInAnyOrder(sub(bob), sub(carol));
        String stranger = platform.issuer().mint(LocalIssuer.User.of("staff-other", "provider").ofOrganisation("autre-org"));
        send("GET", "/organisations/" + organisation + "/reopen-requests", stranger, null, 403);
        send("POST", "/reports/" + report + "/reopen-requests/" + sub(bob) + "/decision", stranger, "{\"decision\":\"ACCEPT\"}", 403);
        send("POST", "/reports/" + report + "/reopen-requests/" + sub(bob) + "/decision", provider, "{\"decision\":\"REFUSE\"}", 400);

        send("POST", "/reports/" + report + "/reopen-requests/" + sub(bob) + "/decision", provider,
                "{\"decision\":\"REFUSE\",\"reason\":\"C'est un autre lampadaire, signalez-le à part\"}", 200);
        JsonNode seen = send("GET", "/reports/" + report + "/reopen-requests", resident("dave-" + UUID.randomUUID()), null, 200);
        assertThat(seen.path("items")).hasSize(2).allSatisfy(q -> assertThat(q.has("requesterId")).isFalse());
        assertThat(seen.path("items").findValuesAsText("answer")).contains("C'est un autre lampadaire, signalez-le à part");
        assertThat(send("GET", "/reports/" + report, alice, null, 200).path("report").path("status").asText()).isEqualTo("RESOLVED");

        send("POST", "/reports/" + report + "/reopen-requests/" + sub(carol) + "/decision", provider, "{\"decision\":\"ACCEPT\"}", 200);
        JsonNode view = send("GET", "/reports/" + report, alice, null, 200);
        assertThat(view.path("report").path("status").asText()).isEqualTo("OPEN");
        JsonNode last = view.path("history").get(view.path("history").size() - 1);
        assertThat(last.path("reason").asText()).contains("Pareil de mon côté depuis lundi");
        assertThat(last.path("actorRole").asText()).isEqualTo("operator");
        assertThat(send("GET", "/organisations/" + organisation + "/reopen-requests", provider, null, 200).path("items")).isEmpty();
        send("POST", "/reports/" + report + "/reopen-requests/" + sub(carol) + "/decision", provider, "{\"decision\":\"ACCEPT\"}", 422);
        send("GET", "/reports/" + report + "/resolution-check", alice, null, 404);
    }

    @Test
    void anErasedAccount_leavesNoCheckNorRequestNamingIt() throws Exception {
        String aliceSub = "alice-" + UUID.randomUUID();
        String alice = resident(aliceSub);
        String report = resolvedReportBy(alice);
        String bobSub = "bob-" + UUID.randomUUID();
        send("POST", "/reports/" + report + "/reopen-requests", resident(bobSub), "{\"reason\":\"Toujours en panne ce soir\"}", 201);

        for (String sub : List.of(aliceSub, bobSub)) {
            var result = bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                    .detailType("Account Deleted").detail(Json.write(Map.of("accountId", sub, "deletedAt", Instant.now().toString())))));
            assertThat(result.failedEntryCount()).isZero();
        }
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(120))).isTrue();

        send("GET", "/reports/" + report + "/resolution-check", agent, null, 404);
        assertThat(send("GET", "/reports/" + report + "/reopen-requests", agent, null, 200).path("items")).isEmpty();
        assertThat(send("GET", "/organisations/" + organisation + "/reopen-requests", provider, null, 200).path("items")
                .findValuesAsText("requesterId")).doesNotContain(bobSub);
        sweep(Instant.now().plus(Duration.ofDays(29)));
        assertThat(CHECKS_DUE).noneMatch(d -> aliceSub.equals(d.get("authorId")));
    }

    @Test
    void thePublicFigures_areAnonymous_andEqualARecountOfTheOperatorsReports() throws Exception {
        String alice = resident("alice-" + UUID.randomUUID());
        String reopened = resolvedReportBy(alice);
        send("POST", "/reports/" + reopened + "/reopen-requests", resident("erin-" + UUID.randomUUID()),
                "{\"reason\":\"Toujours en panne ce soir\"}", 201);
        String erin = send("GET", "/organisations/" + organisation + "/reopen-requests", provider, null, 200).path("items")
                .findValuesAsText("requesterId").stream().filter(id -> id.startsWith("erin-")).findFirst().orElseThrow();
        send("POST", "/reports/" + reopened + "/reopen-requests/" + erin + "/decision", provider, "{\"decision\":\"ACCEPT\"}", 200);
        resolvedReportBy(alice);
        String rejected = filedBy(alice);
        send("POST", "/reports/" + rejected + "/status", provider, "{\"status\":\"REJECTED\",\"reason\":\"Hors de notre périmètre\"}", 200);
        String inProgress = filedBy(alice);
        send("POST", "/reports/" + inProgress + "/status", provider, "{\"status\":\"IN_PROGRESS\"}", 200);
        filedBy(alice);

        sweep(Instant.now().plus(Duration.ofDays(60)));
        HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/reports/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode stats = Json.tree(anonymous.body());
        JsonNode mine = null;
        for (JsonNode g : stats.path("byOperator")) {
            if (organisation.equals(g.path("organisationId").asText())) {
                mine = g;
            }
        }
        assertThat(mine).as("the operator's figures").isNotNull();
        assertThat(Json.MAPPER.convertValue(mine, Map.class)).isEqualTo(recount());
        assertThat(stats.path("byCategory").findValuesAsText("category")).contains("waste-management");
    }

    /** The operator's figures counted again from its reports and their histories, as the API shows them. */
    private static Map<String, Object> recount() throws Exception {
        List<JsonNode> views = new ArrayList<>();
        for (String status : List.of("OPEN", "ACKNOWLEDGED", "IN_PROGRESS", "RESOLVED", "REJECTED", "DUPLICATE")) {
            for (JsonNode r : send("GET", "/organisations/" + organisation + "/reports?status=" + status + "&limit=100", provider, null, 200)
                    .path("items")) {
                views.add(send("GET", "/reports/" + r.path("id").asText(), provider, null, 200));
            }
        }
        List<Long> acknowledge = new ArrayList<>();
        List<Long> resolve = new ArrayList<>();
        long open = 0;
        long reopened = 0;
        for (JsonNode v : views) {
            Instant created = Instant.parse(v.path("report").path("createdAt").asText());
            open += List.of("OPEN", "ACKNOWLEDGED", "IN_PROGRESS").contains(v.path("report").path("status").asText()) ? 1 : 0;
            Instant acknowledged = null;
            Instant resolved = null;
            boolean again = false;
            for (JsonNode step : v.path("history")) {
                Instant at = Instant.parse(step.path("at").asText());
                if (acknowledged == null && "OPEN".equals(step.path("from").asText())) {
                    acknowledged = at;
                }
                if (resolved == null && "RESOLVED".equals(step.path("to").asText())) {
                    resolved = at;
                }
                again |= "RESOLVED".equals(step.path("from").asText()) && "OPEN".equals(step.path("to").asText());
            }
            if (acknowledged != null) {
                acknowledge.add(Duration.between(created, acknowledged).toSeconds());
            }
            if (resolved != null) {
                resolve.add(Duration.between(created, resolved).toSeconds());
                reopened += again ? 1 : 0;
            }
        }
        Map<String, Object> expected = new java.util.LinkedHashMap<>();
        expected.put("organisationId", organisation);
        expected.put("reports", views.size());
        expected.put("open", (int) open);
        expected.put("acknowledged", acknowledge.size());
        if (!acknowledge.isEmpty()) {
            expected.put("medianSecondsToAcknowledge", median(acknowledge));
        }
        expected.put("resolved", resolve.size());
        if (!resolve.isEmpty()) {
            expected.put("medianSecondsToResolve", median(resolve));
            expected.put("reopenedShare", Math.round(1000.0 * reopened / resolve.size()) / 1000.0);
        }
        expected.put("reopened", (int) reopened);
        return expected;
    }

    private static int median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return (int) (n % 2 == 1 ? sorted.get(n / 2) : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2), 2));
    }

    private static String filedBy(String author) throws Exception {
        return send("POST", "/reports", author, Json.write(Map.of("serviceId", service,
                "description", "Conteneur débordant place du Marché", "address", "Place du Marché")), 201).path("id").asText();
    }

    // ------------------------------------------------------------------ helpers

    private static String resolvedReportBy(String author) throws Exception {
        String report = send("POST", "/reports", author, Json.write(Map.of("serviceId", service,
                "description", "Lampadaire éteint rue des Tilleuls", "address", "3 rue des Tilleuls")), 201).path("id").asText();
        send("POST", "/reports/" + report + "/status", provider, "{\"status\":\"ACKNOWLEDGED\"}", 200);
        send("POST", "/reports/" + report + "/status", provider, "{\"status\":\"RESOLVED\",\"note\":\"Lampe changée\"}", 200);
        return report;
    }

    private static void sweepTwiceAtOnce(Instant at) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    sweep(at);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The sweep function's handler, as Lambda runs it, at a clock of the test's choosing. */
    private static void sweep(Instant at) throws Exception {
        DomainEvents real = new EventBridgeDomainEvents(bus, "TerritoireEventBus", LoopWiring.SOURCE);
        DomainEvents recorded = (type, detail) -> {
            real.publish(type, detail);
            if (type.equals(LoopService.CHECK_DUE)) {
                CHECKS_DUE.add(detail);
            }
        };
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        LoopService loop = LoopWiring.service(platform.aws().dynamoDb(), "FeedbackTable", clock, PaginationKey.load(), recorded,
                LoopService.DEFAULT_CHECK_AFTER);
        var out = new java.io.ByteArrayOutputStream();
        new FeedbackSweepHandler(loop, clock).handleRequest(new java.io.ByteArrayInputStream(
                "{\"id\":\"sweep\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}".getBytes()), out,
                org.territoire.shared.local.LocalContext.of("FeedbackSweepFunction"));
        assertThat(Json.tree(out.toString()).path("failed").asInt()).isZero();
    }

    private static String resident(String sub) {
        return platform.issuer().mint(LocalIssuer.User.of(sub, "resident").inDistrict("centre"));
    }

    /** The token's subject (the account id the API names). */
    private static String sub(String token) {
        String payload = token.split("\\.")[1];
        return Json.tree(new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8))
                .path("sub").asText();
    }

    private static HttpResponse<String> request(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = request(method, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.tree(response.body());
    }
}
