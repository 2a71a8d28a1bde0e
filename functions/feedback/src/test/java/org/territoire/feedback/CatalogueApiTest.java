package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import org.territoire.shared.local.LocalContext;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The catalogue routes through the real handler and adapters, against the local endpoint. */
class CatalogueApiTest {
    private static final String TABLE = FeedbackFixture.TABLE;
    private static FeedbackFixture feedback;
    private static FeedbackHandler handler;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
        handler = feedback.handler;
    }

    @Test
    void agent_createsAService_thenAnyoneSignedIn_readsIt() {
        ApiResponse created = handler.handle(Events.load("create-service").build());

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode service = Json.tree(created.body());
        String id = service.path("id").asText();
        assertThat(created.headers()).containsEntry("location", "/services/" + id);
        assertThat(service.path("organisationId").asText()).isEqualTo("mairie");
        assertThat(service.path("createdBy").asText()).isEqualTo("agent-1");

        ApiResponse read = handler.handle(Events.request("GET", "/services/" + id)
                .as("resident-1", "resident", Map.of("custom:district", "centre")).build());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(Json.tree(read.body()).path("name").asText()).isEqualTo("Médiathèque");
    }

    @Test
    void theLambdaEntryPoint_servesTheRecordedEvent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(Json.write(Events.load("create-service").raw())
                .getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("FeedbackFunction"));

        JsonNode response = Json.tree(out.toString(StandardCharsets.UTF_8));
        assertThat(response.path("statusCode").asInt()).isEqualTo(201);
        assertThat(response.path("headers").path("content-type").asText()).isEqualTo("application/json");
    }

    @Test
    void provider_cannotCreateForAnotherOrganisation_andNothingIsStored() {
        String name = "Hijack " + UUID.randomUUID();
        ApiResponse response = handler.handle(Events.load("create-service")
                .as("provider-1", "provider", Map.of("custom:organisation", "asso-velo"))
                .body(body(name, "PEER", "shared-workshop", "mairie")).build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(storedNames()).doesNotContain(name);
    }

    @Test
    void resident_cannotCreate() {
        ApiResponse response = handler.handle(Events.load("create-service")
                .as("resident-1", "resident", Map.of("custom:district", "centre")).build());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void badInput_isA400NamingEachField_andNothingIsStored() {
        String name = "Bad " + UUID.randomUUID();
        ApiResponse response = handler.handle(Events.load("create-service").body("""
                {"name":"%s","kind":"TERRITORIAL","category":"e-health","organisationId":"mairie",
                 "districts":["centre"],"location":{"latitude":123,"longitude":4.8}}""".formatted(name)).build());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = Json.tree(response.body());
        assertThat(problem.path("errors")).extracting(e -> e.path("field").asText())
                .containsExactlyInAnyOrder("category", "location.latitude");
        assertThat(storedNames()).doesNotContain(name);
    }

    @Test
    void unknownField_andUnknownKind_areNamed() {
        ApiResponse unknownField = handler.handle(Events.load("create-service")
                .body("{\"name\":\"X\",\"createdBy\":\"someone-else\"}").build());
        ApiResponse unknownKind = handler.handle(Events.request("GET", "/services")
                .as("r", "resident", Map.of()).query("kind", "MAGIC").build());

        assertThat(Json.tree(unknownField.body()).path("errors").get(0).path("field").asText()).isEqualTo("createdBy");
        assertThat(unknownKind.statusCode()).isEqualTo(400);
        assertThat(Json.tree(unknownKind.body()).path("errors").get(0).path("field").asText()).isEqualTo("kind");
    }

    @Test
    void list_withoutToken_is401() {
        assertThat(handler.handle(Events.request("GET", "/services").anonymous().build()).statusCode()).isEqualTo(401);
    }

    @Test
    void list_pagesThroughTheWholeCatalogue_eachServiceOnce_inNameOrder() {
        String prefix = "Paged " + UUID.randomUUID() + " ";
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            ApiResponse r = handler.handle(Events.load("create-service").body(body(prefix + i, "PEER", "ressourcerie", "ressourcerie")).build());
            mine.add(Json.tree(r.body()).path("id").asText());
        }
        List<String> seen = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            var request = Events.request("GET", "/services").as("r", "resident", Map.of()).query("kind", "PEER").query("limit", "3");
            if (token != null) {
                request.query("nextToken", token);
            }
            JsonNode page = Json.tree(handler.handle(request.build()).body());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(3);
            page.path("items").forEach(s -> {
                assertThat(s.path("kind").asText()).isEqualTo("PEER");
                seen.add(s.path("id").asText());
                names.add(s.path("name").asText().toLowerCase());
            });
            token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
        } while (token != null);

        assertThat(seen).doesNotHaveDuplicates().containsAll(mine);
        assertThat(names).isSorted();
    }

    @Test
    void list_refusesATamperedToken() {
        ApiResponse response = handler.handle(Events.request("GET", "/services").as("r", "resident", Map.of())
                .query("nextToken", "eyJzIjoic2VydmljZXM_a2luZD0iLCJrIjp7fX0.AAAA").build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).path("errors").get(0).path("field").asText()).isEqualTo("nextToken");
    }

    @Test
    void retriedPost_withTheSameIdempotencyKey_createsOneService_evenWhenTheRetriesRace() throws Exception {
        String name = "Idempotent " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        List<ApiResponse> responses = concurrently(10, () -> handler.handle(Events.load("create-service")
                .header("idempotency-key", key).body(body(name, "TERRITORIAL", "tourism", "mairie")).build()));

        assertThat(storedNames()).filteredOn(name::equals).hasSize(1);
        // 201 for the first and for replays of its answer, 409 for a retry that arrives while it runs.
        assertThat(responses).extracting(ApiResponse::statusCode).allSatisfy(s -> assertThat(s).isIn(201, 409)).contains(201);

        ApiResponse replay = handler.handle(Events.load("create-service")
                .header("idempotency-key", key).body(body(name, "TERRITORIAL", "tourism", "mairie")).build());
        ApiResponse first = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow();
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers()).containsEntry("idempotency-replayed", "true");
        assertThat(storedNames()).filteredOn(name::equals).hasSize(1);
    }

    private static List<ApiResponse> concurrently(int n, Callable<ApiResponse> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<ApiResponse>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<ApiResponse> out = new ArrayList<>();
            for (Future<ApiResponse> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String body(String name, String kind, String category, String organisation) {
        return Json.write(Map.of("name", name, "kind", kind, "category", category, "organisationId", organisation,
                "districts", List.of("centre")));
    }

    /** Every stored service name, read from the table itself (not through the code under test). */
    private static List<String> storedNames() {
        return feedback.dynamo().scanPaginator(r -> r.tableName(TABLE).filterExpression("#t = :s")
                        .expressionAttributeNames(Map.of("#t", "type"))
                        .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("SERVICE"))))
                .items().stream().map(i -> i.get("name").s()).toList();
    }
}
