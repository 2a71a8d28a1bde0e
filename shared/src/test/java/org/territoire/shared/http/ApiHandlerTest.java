package org.territoire.shared.http;

import org.territoire.shared.identity.Role;
import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.json.Json;
import org.territoire.shared.local.LocalContext;
import software.amazon.awssdk.core.exception.SdkClientException;

@Tag("unit")
class ApiHandlerTest {
    private static final String API_KEY = "t311_0123456789abcdef_S3cr3tPartOfTheKey";
    private static final String FEED = "FeedSecretFeedSecretFeedSecretFeedSecret123";
    private static final String PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----MIIEsecret";
    private final AtomicInteger created = new AtomicInteger();
    private final MemoryIdempotencyStore store = new MemoryIdempotencyStore();
    private final ApiHandler handler = new ApiHandler(new Router()
            .post("/things", Access.MEMBERS, r -> {
                r.caller();
                return ApiResponse.created(Map.of("n", created.incrementAndGet()), "/things/" + created.get());
            })
            .action("/things/{id}/touch", Access.MEMBERS, r -> ApiResponse.noContent())
            .post("/echo", Access.MEMBERS, r -> ApiResponse.ok(r.body(Map.class)))
            .post("/refusals", Access.MEMBERS, r -> {
                throw DomainError.conflict("refused");
            })
            .post("/things/{id}/approve", Access.roles(Role.AGENT), r -> ApiResponse.noContent())
            .get("/public", Access.SIGNED_IN, r -> ApiResponse.ok(Map.of("public", true)))
            .get("/open", Access.ANYONE, r -> ApiResponse.ok(Map.of("open", true)))
            .get("/large", Access.ANYONE, r -> ApiResponse.ok(Map.of("items", java.util.Collections.nCopies(200, "reading"))))
            .get("/things/{id}", r -> {
                throw DomainError.notFound("no such thing");
            })
            .post("/keys", Access.MEMBERS, r -> ApiResponse.createdWithSecret(
                    Map.of("key", Map.of("id", "k-" + created.incrementAndGet(), "name", "app"), "apiKey", API_KEY), "/keys/k-1", "apiKey"))
            .post("/feeds", Access.MEMBERS, r -> {
                created.incrementAndGet();
                return ApiResponse.createdWithSecret(Map.of("path", "/calendar/" + FEED + ".ics",
                        "url", "https://api.example/calendar/" + FEED + ".ics"), "/calendar/" + FEED + ".ics", "path");
            })
            .post("/devices", Access.MEMBERS, r -> {
                created.incrementAndGet();
                // A CSR registration: AWS made no key pair, so there is no private key to leave out.
                return ApiResponse.createdWithSecret(Map.of("device", Map.of("id", "d-1"), "credentials",
                        Map.of("certificatePem", "-----BEGIN CERTIFICATE-----")), "/devices/d-1", "credentials.privateKey");
            })
            .post("/forgetful", Access.MEMBERS, r -> {
                created.incrementAndGet();
                return ApiResponse.created(Map.of("id", "f-1", "credentials", Map.of("privateKey", PRIVATE_KEY)), "/forgetful/f-1");
            })
            .get("/boom", r -> {
                throw new IllegalStateException("secret internal detail");
            })
            .get("/down", r -> {
                throw StorageException.from(SdkClientException.create("connection refused"));
            }), store) {
    };

    @Test
    void apiException_becomesProblemJson() {
        ApiResponse response = handler.handle(event("GET", "/things/42", null, Map.of(), claims()));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json");
        JsonNode problem = Json.tree(response.body());
        assertThat(problem.path("type").asText()).endsWith("/not-found");
        assertThat(problem.path("status").asInt()).isEqualTo(404);
        assertThat(problem.path("detail").asText()).isEqualTo("no such thing");
        // The occurrence is the request (its id is the logs' correlation_id), not the path it was sent to.
        assertThat(problem.path("instance").asText()).isEqualTo("urn:territoire:request:req-1");
    }

    @Test
    void unexpectedFailure_isA500Problem_withoutInternalDetails() {
        ApiResponse response = handler.handle(event("GET", "/boom", null, Map.of(), claims()));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(response.body()).doesNotContain("secret internal detail").doesNotContain("IllegalStateException")
                .contains("req-1");
    }

    @Test
    void unreachableStorage_isA503_withRetryAfter() {
        ApiResponse response = handler.handle(event("GET", "/down", null, Map.of(), claims()));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("retry-after", "1");
    }

    @Test
    void missingClaims_give401() {
        ApiResponse response = handler.handle(event("POST", "/things", "{}", Map.of(), Map.of()));

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void tokenWithoutRole_isRefused_beforeTheRouteRuns_andReadsOnlyPublicContent() {
        Map<String, String> stranger = Map.of("sub", "stranger", "cognito:groups", "[newcomer]");

        ApiResponse write = handler.handle(event("POST", "/things", "{}", Map.of("idempotency-key", "k-x"), stranger));
        ApiResponse memberRead = handler.handle(event("GET", "/things/1", null, Map.of(), stranger));

        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(Json.tree(write.body()).path("detail").asText()).contains("no role");
        assertThat(memberRead.statusCode()).isEqualTo(403);
        assertThat(created).hasValue(0);
        assertThat(store.records).isEmpty();
        assertThat(handler.handle(event("GET", "/public", null, Map.of(), stranger)).statusCode()).isEqualTo(200);
        assertThat(handler.handle(event("GET", "/open", null, Map.of(), Map.of())).statusCode()).isEqualTo(200);
        assertThat(handler.handle(event("GET", "/public", null, Map.of(), Map.of())).statusCode()).isEqualTo(401);
    }

    @Test
    void anAction_refusesABody_ratherThanIgnoringIt() {
        ApiResponse refused = handler.handle(event("POST", "/things/1/touch", "{\"a\":", Map.of(), claims()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.tree(refused.body()).path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(handler.handle(event("POST", "/things/1/touch", "", Map.of(), claims())).statusCode()).isEqualTo(204);
        assertThat(handler.handle(event("GET", "/things/1", "{}", Map.of(), claims())).statusCode()).isEqualTo(400);
    }

    @Test
    void aBodyOverTheLimit_is413_evenThroughTheLambdaStream() throws Exception {
        String big = "{\"a\":\"" + "x".repeat(ApiHandler.MAX_BODY_CHARS) + "\"}";
        var event = Json.MAPPER.createObjectNode().put("version", "2.0").put("rawPath", "/echo").put("body", big);
        event.putObject("requestContext").put("requestId", "req-big").putObject("http").put("method", "POST").put("path", "/echo");
        event.with("requestContext").putObject("authorizer").putObject("jwt").putObject("claims")
                .put("sub", "user-1").put("cognito:groups", "[resident]");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("test"));

        JsonNode answer = Json.tree(out.toString(StandardCharsets.UTF_8));
        assertThat(answer.path("statusCode").asInt()).as(answer.toString()).isEqualTo(413);
    }

    @Test
    void aBodyLabelledAsAnotherMediaType_is415_andAnUnlabelledOne_isReadAsJson() {
        ApiResponse plain = handler.handle(event("POST", "/echo", "{\"a\":1}", Map.of("content-type", "text/plain"), claims()));
        ApiResponse form = handler.handle(event("POST", "/echo", "a=1", Map.of("content-type", "application/x-www-form-urlencoded"), claims()));

        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(handler.handle(event("POST", "/echo", "{\"a\":1}", Map.of("content-type", "application/json; charset=utf-8"),
                claims())).statusCode()).isEqualTo(200);
        assertThat(handler.handle(event("POST", "/echo", "{\"a\":1}", Map.of("content-type", "application/merge-patch+json"),
                claims())).statusCode()).isEqualTo(200);
        assertThat(handler.handle(event("POST", "/echo", "{\"a\":1}", Map.of(), claims())).statusCode()).isEqualTo(200);
    }

    @Test
    void routeRoles_areChecked_byTheKernel_naming_theRolesAccepted() {
        ApiResponse response = handler.handle(event("POST", "/things/1/approve", "{}", Map.of(), claims()));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(Json.tree(response.body()).path("detail").asText()).contains("agent");
        assertThat(handler.handle(event("POST", "/things/1/approve", "{}", Map.of(),
                Map.of("sub", "a", "cognito:groups", "[agent]"))).statusCode()).isEqualTo(204);
    }

    @Test
    void retriedPost_withTheSameKey_hasOneEffect_andReplaysTheFirstAnswer() {
        ApiResponse first = handler.handle(event("POST", "/things", "{\"a\":1}", Map.of("idempotency-key", "k-1"), claims()));
        ApiResponse second = handler.handle(event("POST", "/things", "{\"a\":1}", Map.of("idempotency-key", "k-1"), claims()));

        assertThat(created).hasValue(1);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers()).containsEntry("idempotency-replayed", "true").containsEntry("location", "/things/1");
    }

    @Test
    void anIssuedSecret_isAnsweredOnce_neverStored_andTheReplaySaysItWasShownOnce() {
        ApiResponse first = handler.handle(event("POST", "/keys", "{\"name\":\"app\"}", Map.of("idempotency-key", "k-s"), claims()));
        ApiResponse replay = handler.handle(event("POST", "/keys", "{\"name\":\"app\"}", Map.of("idempotency-key", "k-s"), claims()));

        assertThat(Json.tree(first.body()).path("apiKey").asText()).isEqualTo(API_KEY);
        assertThat(stored()).doesNotContain("S3cr3tPartOfTheKey");
        assertThat(created).hasValue(1);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("idempotency-replayed", "true").containsEntry("location", "/keys/k-1");
        JsonNode body = Json.tree(replay.body());
        assertThat(body.has("apiKey")).isFalse();
        assertThat(body.path("secretShownOnce").asBoolean()).isTrue();
        assertThat(body.path("key").path("id").asText()).isEqualTo("k-1");
        assertThat(replay.body()).doesNotContain("S3cr3tPartOfTheKey");
    }

    @Test
    void aSecretUrl_leavesTheReplay_withEveryStringAndHeaderThatHoldsIt() {
        ApiResponse first = handler.handle(event("POST", "/feeds", null, Map.of("idempotency-key", "k-f"), claims()));
        ApiResponse replay = handler.handle(event("POST", "/feeds", null, Map.of("idempotency-key", "k-f"), claims()));

        assertThat(first.headers()).containsEntry("location", "/calendar/" + FEED + ".ics");
        assertThat(first.body()).contains(FEED);
        assertThat(created).hasValue(1);
        assertThat(stored()).doesNotContain(FEED);
        assertThat(replay.headers()).doesNotContainKey("location").containsEntry("idempotency-replayed", "true");
        assertThat(replay.body()).doesNotContain(FEED);
        assertThat(Json.tree(replay.body()).path("secretShownOnce").asBoolean()).isTrue();
    }

    @Test
    void anAnswerWithoutItsSecret_isReplayedWhole() {
        ApiResponse first = handler.handle(event("POST", "/devices", "{}", Map.of("idempotency-key", "k-d"), claims()));
        ApiResponse replay = handler.handle(event("POST", "/devices", "{}", Map.of("idempotency-key", "k-d"), claims()));

        assertThat(replay.body()).isEqualTo(first.body()).contains("BEGIN CERTIFICATE").doesNotContain("secretShownOnce");
    }

    @Test
    void aCredentialNamedMember_isNeverStored_evenFromARouteThatForgotToMarkIt() {
        ApiResponse first = handler.handle(event("POST", "/forgetful", "{}", Map.of("idempotency-key", "k-g"), claims()));
        ApiResponse replay = handler.handle(event("POST", "/forgetful", "{}", Map.of("idempotency-key", "k-g"), claims()));

        assertThat(first.body()).contains(PRIVATE_KEY);
        assertThat(stored()).doesNotContain("MIIEsecret");
        assertThat(replay.body()).doesNotContain("MIIEsecret");
        assertThat(Json.tree(replay.body()).path("id").asText()).isEqualTo("f-1");
        assertThat(Json.tree(replay.body()).path("secretShownOnce").asBoolean()).isTrue();
        assertThat(first.toString()).doesNotContain("MIIEsecret");
    }

    @Test
    void problems_neverQuoteThePath_theMethod_orTheBody() {
        String marker = "SECRET-MARKER-123";
        ApiResponse noRoute = handler.handle(event("GET", "/" + marker + "/x", null, Map.of(), claims()));
        ApiResponse noMethod = handler.handle(event("PATCH", "/things/" + marker, "{}", Map.of(), claims()));
        ApiResponse badKey = handler.handle(event("POST", "/things", "{}", Map.of("idempotency-key", marker + " x"), claims()));

        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(noMethod.statusCode()).isEqualTo(405);
        assertThat(Json.tree(noMethod.body()).path("detail").asText()).contains("GET");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(List.of(noRoute, noMethod, badKey)).allSatisfy(r -> assertThat(r.body()).doesNotContain(marker));
    }

    private String stored() {
        return store.records.values().stream().map(r -> r[1] instanceof ApiResponse a
                ? a.statusCode() + " " + a.headers() + " " + a.body() : "").reduce("", String::concat);
    }

    @Test
    void sameKey_fromAnotherCaller_isAnotherRequest() {
        handler.handle(event("POST", "/things", "{}", Map.of("idempotency-key", "k"), claims()));
        handler.handle(event("POST", "/things", "{}", Map.of("idempotency-key", "k"),
                Map.of("sub", "someone-else", "cognito:groups", "[resident]")));

        assertThat(created).hasValue(2);
    }

    @Test
    void sameKey_withAnotherBody_is422_andHasNoEffect() {
        handler.handle(event("POST", "/things", "{\"a\":1}", Map.of("idempotency-key", "k-2"), claims()));
        ApiResponse reused = handler.handle(event("POST", "/things", "{\"a\":2}", Map.of("idempotency-key", "k-2"), claims()));

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(created).hasValue(1);
    }

    @Test
    void invalidKey_is400() {
        ApiResponse response = handler.handle(event("POST", "/things", "{}", Map.of("idempotency-key", "has space"), claims()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void failedRequest_releasesItsKey_soTheRetryRuns() {
        ApiResponse refused = handler.handle(event("POST", "/refusals", "{}", Map.of("idempotency-key", "k-3"), claims()));
        assertThat(refused.statusCode()).isEqualTo(409);
        // 4xx answers are kept: the same request gets the same answer.
        assertThat(store.records).containsKey(store.lastKey);
    }

    @Test
    void handleRequest_speaksPayload2_overStreams() throws Exception {
        String raw = """
                {"version":"2.0","routeKey":"GET /things/{id}","rawPath":"/things/7","headers":{},
                 "requestContext":{"requestId":"r-9","http":{"method":"GET","path":"/things/7"},
                   "authorizer":{"jwt":{"claims":{"sub":"u-1","cognito:groups":"[resident]"}}}},
                 "isBase64Encoded":false}""";
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("test"));

        JsonNode response = Json.tree(out.toString(StandardCharsets.UTF_8));
        assertThat(response.path("statusCode").asInt()).isEqualTo(404);
        assertThat(response.path("headers").path("content-type").asText()).isEqualTo("application/problem+json");
    }

    private JsonNode served(String path, String acceptEncoding) throws Exception {
        String raw = """
                {"version":"2.0","routeKey":"GET %s","rawPath":"%s","headers":{%s},
                 "requestContext":{"requestId":"r-9","http":{"method":"GET","path":"%s"}},"isBase64Encoded":false}"""
                .formatted(path, path, acceptEncoding == null ? "" : "\"accept-encoding\":\"" + acceptEncoding + "\"", path);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("test"));
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void handleRequest_gzipsAnswersOfAKilobyteOrMore_forAClientThatAcceptsIt() throws Exception {
        JsonNode zipped = served("/large", "br;q=1.0, gzip;q=0.8");
        JsonNode plain = served("/large", null);
        JsonNode refused = served("/large", "gzip;q=0, identity");
        JsonNode small = served("/open", "gzip");

        assertThat(zipped.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(zipped.path("headers").path("content-encoding").asText()).isEqualTo("gzip");
        assertThat(zipped.path("headers").path("vary").asText()).isEqualTo("Accept-Encoding");
        byte[] unzipped = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(zipped.path("body").asText()))).readAllBytes();
        assertThat(new String(unzipped, StandardCharsets.UTF_8)).isEqualTo(plain.path("body").asText());
        assertThat(plain.path("body").asText().length()).isGreaterThanOrEqualTo(ApiResponse.COMPRESS_FROM_BYTES);
        assertThat(plain.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(plain.path("headers").path("vary").asText()).isEqualTo("Accept-Encoding");
        assertThat(plain.path("headers").has("content-encoding")).isFalse();
        assertThat(refused.path("headers").has("content-encoding")).isFalse();
        assertThat(small.path("headers").has("content-encoding")).isFalse();
        assertThat(small.path("headers").has("vary")).isFalse();
        assertThat(ApiResponse.acceptsGzip("*")).isTrue();
        assertThat(ApiResponse.acceptsGzip("*;q=0")).isFalse();
        assertThat(ApiResponse.acceptsGzip("deflate")).isFalse();
        assertThat(ApiResponse.acceptsGzip("GZIP;Q=0.001")).isTrue();
    }

    @Test
    void handleRequest_answersProblem_forAnEventThatIsNotJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream("not json".getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("test"));

        assertThat(Json.tree(out.toString(StandardCharsets.UTF_8)).path("statusCode").asInt()).isEqualTo(400);
    }

    private static Map<String, String> claims() {
        return Map.of("sub", "user-1", "cognito:groups", "[resident]");
    }

    static HttpApiEvent event(String method, String path, String body, Map<String, String> headers, Map<String, String> claims) {
        return new HttpApiEvent("req-1", method, path, headers, Map.of(), Map.of(), body, claims);
    }

    /** The same contract as the DynamoDB store, in memory, for unit tests of the handler. */
    static final class MemoryIdempotencyStore implements IdempotencyStore {
        final Map<String, Object[]> records = new HashMap<>();
        String lastKey;

        @Override
        public synchronized Claim claim(String key, String fingerprint) {
            lastKey = key;
            Object[] record = records.get(key);
            if (record == null) {
                records.put(key, new Object[] {fingerprint, null});
                return new Claim.Started();
            }
            if (!record[0].equals(fingerprint)) {
                return new Claim.Mismatch();
            }
            return record[1] == null ? new Claim.InProgress() : new Claim.Completed((ApiResponse) record[1]);
        }

        @Override
        public synchronized void complete(String key, String fingerprint, ApiResponse response) {
            records.put(key, new Object[] {fingerprint, response});
        }

        @Override
        public synchronized void release(String key) {
            records.remove(key);
        }
    }
}
