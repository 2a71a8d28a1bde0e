package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.accounts.account.Directory;
import org.territoire.accounts.cognito.CognitoDirectory;
import org.territoire.accounts.store.DynamoExpiryStore;
import org.territoire.accounts.verification.ExpiryStore;
import org.territoire.accounts.verification.Verification;
import org.territoire.accounts.verification.VerificationExpiry;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.identity.Role;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Verifications lapse (issue 15): the template's AccountsSweepFunction, invoked with a scheduled
 * event as EventBridge sends it, against the local table and the local user pool. A lapsed
 * verification loses the resident group, a fresh one keeps it, and a renewal racing the sweep is
 * never undone.
 */
class AccountVerificationExpiryTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static LocalPlatform platform;
    private static String agent;
    private static CognitoIdentityProviderClient cognito;
    private static DynamoDbClient dynamo;
    private static String table;
    private static String pool;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-expiry", "agent").ofOrganisation("mairie"));
        cognito = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build();
        dynamo = platform.aws().dynamoDb();
        table = platform.aws().environment().get("ACCOUNTS_TABLE");
        pool = Env.require("USER_POOL_ID");
    }

    @AfterAll
    static void stop() {
        cognito.close();
        platform.close();
    }

    @Test
    void theScheduledSweep_removesTheGroupOfALapsedVerification_andKeepsAFreshOne() throws Exception {
        String lapsed = residentVerified();
        String fresh = residentVerified();
        Instant past = Instant.now().minusSeconds(3600);
        backdate(lapsed, past);

        JsonNode summary = sweepAsScheduled();

        assertThat(summary.path("expired").asInt()).as(summary.toString()).isGreaterThanOrEqualTo(1);
        assertThat(summary.path("failed").asInt()).isZero();
        assertThat(groups(lapsed)).doesNotContain("resident");
        assertThat(groups(fresh)).contains("resident");
        var item = verificationItem(lapsed);
        assertThat(item).containsKey("expiredAt").doesNotContainKeys("gsi1pk", "gsi1sk");
        assertThat(verificationItem(fresh)).doesNotContainKey("expiredAt").containsKey("gsi1pk");
        // The person sees it: no longer verified.
        JsonNode me = Json.tree(send("GET", "/me", platform.issuer().mint(LocalIssuer.User.of(lapsed)), null).body());
        assertThat(me.path("verification").path("verified").asBoolean()).isFalse();

        // A second run finds nothing more of that person to do.
        sweepAsScheduled();
        assertThat(groups(lapsed)).doesNotContain("resident");
        assertThat(verificationItem(lapsed).get("expiredAt")).isEqualTo(item.get("expiredAt"));
    }

    @Test
    void aRenewalApprovedWhileTheSweepRemovesTheGroup_isNotUndone() throws Exception {
        String person = residentVerified();
        backdate(person, Instant.now().minusSeconds(60));
        Directory real = new CognitoDirectory(cognito, pool);
        // The worst interleaving, with the real pool and table: the lapse is recorded, then an
        // agent approves the person's renewal (its new verification written and the group added),
        // then the sweep's removal lands.
        Directory racing = new Directory() {
            public Optional<Profile> profile(String accountId) { return real.profile(accountId); }
            public void addToGroup(String accountId, Role role) { real.addToGroup(accountId, role); }
            public void setAttribute(String accountId, String name, String value) { real.setAttribute(accountId, name, value); }
            public void delete(String accountId) { real.delete(accountId); }

            public void removeFromGroup(String accountId, Role role) {
                if (accountId.equals(person)) {
                    approveInPerson(person);
                }
                real.removeFromGroup(accountId, role);
            }
        };

        new VerificationExpiry(new DynamoExpiryStore(dynamo, table), racing).sweep(Instant.now());

        assertThat(groups(person)).contains("resident");
        var item = verificationItem(person);
        assertThat(Instant.parse(item.get("validUntil").s())).isAfter(Instant.now().plusSeconds(86_400));
        assertThat(item).doesNotContainKey("expiredAt").containsKey("gsi1pk");
    }

    @Test
    void aRenewalWrittenBeforeTheSweepRecordsTheLapse_keepsTheGroup() throws Exception {
        String person = residentVerified();
        backdate(person, Instant.now().minusSeconds(60));
        Directory real = new CognitoDirectory(cognito, pool);
        // The renewal lands between the sweep's query and its conditional write.
        var dynamoStore = new DynamoExpiryStore(dynamo, table);
        ExpiryStore store = new ExpiryStore() {
            public void eachExpired(Instant now, java.util.function.Consumer<Verification> action) { dynamoStore.eachExpired(now, action); }
            public boolean settled(Verification seen) { return dynamoStore.settled(seen); }
            public Optional<Verification> current(String accountId) { return dynamoStore.current(accountId); }

            public boolean recordExpiry(Verification seen, Instant now) {
                if (seen.accountId().equals(person)) {
                    approveInPerson(person);
                }
                return dynamoStore.recordExpiry(seen, now);
            }
        };

        new VerificationExpiry(store, real).sweep(Instant.now());

        assertThat(groups(person)).contains("resident");
        assertThat(verificationItem(person)).doesNotContainKey("expiredAt");
    }

    // ------------------------------------------------------------------ helpers

    /** Signs up with the local pool, files an in-person request, has the agent approve it; the person's sub. */
    private static String residentVerified() throws Exception {
        String token = new DemoAccounts(platform).signUp("expiry-" + UUID.randomUUID() + "@example.org");
        String sub = SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        approveInPerson(sub);
        assertThat(groups(sub)).contains("resident");
        return sub;
    }

    private static void approveInPerson(String sub) {
        try {
            String token = platform.issuer().mint(LocalIssuer.User.of(sub));
            HttpResponse<String> filed = send("POST", "/verifications", token, "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}");
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
            String id = Json.tree(filed.body()).path("id").asText();
            HttpResponse<String> decided = send("POST", "/verifications/" + id + "/decision", agent, "{\"approve\":true}");
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves a verification's expiry into the past, as time would (its index key with it). */
    private static void backdate(String sub, Instant validUntil) {
        dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", AttributeValue.fromS("ACCOUNT#" + sub), "sk", AttributeValue.fromS("VERIFICATION")))
                .updateExpression("SET validUntil = :v, gsi1sk = :k")
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(validUntil.toString()),
                        ":k", AttributeValue.fromS(SORTABLE.format(validUntil) + "#" + sub))));
    }

    private static Map<String, AttributeValue> verificationItem(String sub) {
        return dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("ACCOUNT#" + sub), "sk", AttributeValue.fromS("VERIFICATION")))).item();
    }

    private static List<String> groups(String sub) {
        return cognito.adminListGroupsForUser(r -> r.userPoolId(pool).username(sub)).groups().stream().map(GroupType::groupName).toList();
    }

    private static JsonNode sweepAsScheduled() throws Exception {
        var template = platform.aws().template();
        var schedule = template.schedules().stream().filter(s -> s.functionLogicalId().equals("AccountsSweepFunction")).findFirst().orElseThrow();
        byte[] out = new FunctionHost().invoke(template.function("AccountsSweepFunction"),
                ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8));
        return Json.tree(new String(out, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        var builder = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return HTTP.send(builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
