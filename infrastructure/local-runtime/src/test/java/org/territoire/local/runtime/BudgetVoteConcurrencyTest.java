package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * A participatory budget's vote under concurrency, over HTTP through the local HTTP API and
 * the real handler, against the local endpoint: the per-project totals (sharded counters)
 * always equal a recount of the ballots stored under their pseudonyms, and a resident has one
 * ballot however many confirmations they send at once.
 */
class BudgetVoteConcurrencyTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static LocalPlatform platform;
    private static String agent;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-budget", "agent").ofOrganisation("mairie"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void threeHundredConfirmingAtOnce_thenFiftyChangingAtOnce_leaveTotalsEqualToARecount() throws Exception {
        Vote v = vote(6);
        var drafts = atOnce(300, i -> () -> send("PUT", v.path() + "/ballot", voter(i), selection(v, i, 0)).statusCode());
        assertThat(drafts).as("drafts").allMatch(s -> s == 200);

        var confirms = atOnce(300, i -> () -> send("POST", v.path() + "/ballot/confirm", voter(i), null).statusCode());
        assertThat(confirms).as("every confirmation is counted or refused whole, never a 500").allMatch(s -> s == 200);
        assertThat(totals(v)).isEqualTo(recount(v.id()));
        assertThat(participation(v).path("confirmed").asLong()).isEqualTo(300);

        var changes = atOnce(50, i -> () -> {
            int saved = send("PUT", v.path() + "/ballot", voter(i), selection(v, i, 1)).statusCode();
            return saved == 200 ? send("POST", v.path() + "/ballot/confirm", voter(i), null).statusCode() : saved;
        });
        assertThat(changes).allMatch(s -> s == 200);
        Map<String, Long> recount = recount(v.id());
        assertThat(totals(v)).isEqualTo(recount);
        assertThat(recount.values().stream().mapToLong(Long::longValue).sum()).as("two projects per ballot").isEqualTo(600);
        JsonNode participation = participation(v);
        assertThat(participation.path("started").asLong()).isEqualTo(300);
        assertThat(participation.path("confirmed").asLong()).as("a changed ballot is still one ballot").isEqualTo(300);
        assertThat(results(v)).as("the results count the same").isEqualTo(recount);
    }

    @Test
    void oneResident_confirmingTwentyTimesAtOnce_hasOneBallot_countedOnce() throws Exception {
        Vote v = vote(3);
        String keen = platform.issuer().mint(LocalIssuer.User.of("keen-" + UUID.randomUUID(), "resident").inDistrict("centre"));
        assertThat(send("PUT", v.path() + "/ballot", keen, selection(v, 0, 0)).statusCode()).isEqualTo(200);

        var confirms = atOnce(20, i -> () -> send("POST", v.path() + "/ballot/confirm", keen, null).statusCode());

        assertThat(confirms).filteredOn(s -> s == 200).hasSize(1);
        assertThat(confirms).filteredOn(s -> s == 409).hasSize(19);
        assertThat(participation(v).path("confirmed").asLong()).isEqualTo(1);
        assertThat(totals(v)).isEqualTo(recount(v.id())).containsValue(1L);
        assertThat(totals(v).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    }

    @Test
    void onlyResidentsOfTheScope_vote_andOnlyAgentsReviewAndPublish() throws Exception {
        Vote v = vote(2);
        String elsewhere = platform.issuer().mint(LocalIssuer.User.of("gare-" + UUID.randomUUID(), "resident").inDistrict("gare"));
        String provider = platform.issuer().mint(LocalIssuer.User.of("provider-budget", "provider").ofOrganisation("asso"));
        String resident = voter(999);

        assertThat(send("PUT", v.path() + "/ballot", elsewhere, selection(v, 0, 0)).statusCode()).isEqualTo(403);
        assertThat(send("PUT", v.path() + "/ballot", provider, selection(v, 0, 0)).statusCode()).isEqualTo(403);
        assertThat(send("PUT", v.path() + "/ballot", agent, selection(v, 0, 0)).statusCode()).as("an agent is no resident").isEqualTo(403);
        assertThat(send("PUT", v.path() + "/projects/" + v.projects().get(0) + "/review", resident,
                "{\"status\":\"UNFEASIBLE\",\"reason\":\"Non\"}").statusCode()).isEqualTo(403);
        assertThat(send("POST", v.path() + "/publish-results", resident, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", v.path() + "/next-phase", resident, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", v.path() + "/participation", resident, null).statusCode()).isEqualTo(403);
        HttpResponse<String> mine = send("PUT", v.path() + "/ballot", resident, selection(v, 0, 0));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).doesNotContain("resident-budget-999");
    }

    private record Vote(String id, String path, List<String> projects) {
    }

    /** A centre budget of 1 000 000 € (knapsack) in its vote phase, with {@code n} feasible projects of 100 000 €. */
    private Vote vote(int n) throws Exception {
        Instant now = Instant.now();
        HttpResponse<String> created = send("POST", "/budgets", agent, """
                {"title":"Budget concurrent","description":"Budget de test","district":"centre","amount":1000000,
                 "rule":{"kind":"KNAPSACK"},"allowChange":true,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.minusSeconds(60), now.plusSeconds(3600), now.plusSeconds(7200), now.plusSeconds(86_400)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.tree(created.body()).path("id").asText();
        String path = "/budgets/" + id;
        assertThat(send("POST", path + "/schedule", agent, null).statusCode()).isEqualTo(200);
        String author = voter(0);
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> p = send("POST", path + "/projects", author, """
                    {"title":"Projet %d","description":"Un projet pour le centre","location":{"latitude":45.76,"longitude":4.83},"cost":100000}"""
                    .formatted(i));
            assertThat(p.statusCode()).as(p.body()).isEqualTo(201);
            projects.add(Json.tree(p.body()).path("id").asText());
        }
        assertThat(send("POST", path + "/next-phase", agent, null).statusCode()).isEqualTo(200);
        for (String p : projects) {
            assertThat(send("PUT", path + "/projects/" + p + "/review", agent,
                    "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":100000}").statusCode()).isEqualTo(200);
        }
        assertThat(send("POST", path + "/next-phase", agent, null).statusCode()).isEqualTo(200);
        return new Vote(id, path, projects);
    }

    /** Two projects, chosen by the voter's number; {@code shift} moves the choice (a changed ballot overlaps the first by one project or none). */
    private static String selection(Vote v, int i, int shift) {
        int n = v.projects().size();
        return "{\"projectIds\":[\"" + v.projects().get((i + shift) % n) + "\",\"" + v.projects().get((i + 1 + 2 * shift) % n) + "\"]}";
    }

    private static final Map<Integer, String> VOTERS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    private static String voter(int i) {
        return VOTERS.computeIfAbsent(i, k -> platform.issuer().mint(LocalIssuer.User.of("resident-budget-" + RUN + "-" + k, "resident").inDistrict("centre")));
    }

    /** The per-project totals as the sharded counters hold them (summed over the tally shards). */
    private static Map<String, Long> totals(Vote v) {
        Map<String, Long> totals = new HashMap<>();
        for (Map<String, AttributeValue> shard : query(v.id(), "TALLY#")) {
            shard.forEach((name, value) -> {
                if (name.startsWith("v_") && Long.parseLong(value.n()) != 0) {
                    totals.merge(name.substring(2), Long.parseLong(value.n()), Long::sum);
                }
            });
        }
        return totals;
    }

    /** The totals the published results give, once the agent has closed the vote. */
    private Map<String, Long> results(Vote v) throws Exception {
        assertThat(send("POST", v.path() + "/next-phase", agent, null).statusCode()).isEqualTo(200);
        HttpResponse<String> results = send("GET", v.path() + "/results", agent, null);
        assertThat(results.statusCode()).as(results.body()).isEqualTo(200);
        Map<String, Long> totals = new HashMap<>();
        Json.tree(results.body()).path("projects").forEach(p -> {
            if (p.path("votes").asLong() != 0) {
                totals.put(p.path("projectId").asText(), p.path("votes").asLong());
            }
        });
        return totals;
    }

    private static Iterable<Map<String, AttributeValue>> query(String budgetId, String prefix) {
        return platform.aws().dynamoDb().queryPaginator(QueryRequest.builder().tableName("ConsultationsTable").consistentRead(true)
                .keyConditionExpression("pk = :p AND begins_with(sk, :b)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("BUDGET#" + budgetId), ":b", AttributeValue.fromS(prefix))).build()).items();
    }

    /** Every stored ballot's confirmed selection, counted again. */
    private static Map<String, Long> recount(String budgetId) {
        Map<String, Long> recount = new HashMap<>();
        for (Map<String, AttributeValue> ballot : query(budgetId, "BALLOT#")) {
            if (ballot.containsKey("confirmed")) {
                Json.tree(ballot.get("confirmed").s()).forEach(p -> recount.merge(p.asText(), 1L, Long::sum));
            }
        }
        return recount;
    }

    private JsonNode participation(Vote v) throws Exception {
        return Json.tree(send("GET", v.path() + "/participation", agent, null).body());
    }

    /** Fires every call at once on virtual threads (released together by a latch) and collects their results. */
    private static <T> List<T> atOnce(int count, IntFunction<Callable<T>> task) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<T> call = task.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(5, TimeUnit.MINUTES));
            }
            return out;
        }
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
