package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.accounts.verification.Census;
import org.territoire.local.aws.Concurrently;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Accounts as a newcomer meets them, over HTTP: sign up with the local user pool, confirm with the
 * emailed code, file a request, get approved by an agent, refresh into a token with the resident
 * group and the district, and vote there. Also what the pool refuses that moto alone would let
 * through, two agents deciding at once, a census match, deletion, export, and who may reach what.
 */
class AccountsEndToEndTest {
    private static LocalPlatform platform;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String agent;
    private static String admin;
    static final String PASSWORD = "Correct-Horse-42";

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-accounts", "agent").ofOrganisation("mairie"));
        admin = platform.issuer().mint(LocalIssuer.User.of("admin-accounts", "admin"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    record Session(String sub, String idToken, String accessToken, String refreshToken) {
    }

    @Test
    void signUp_request_approval_refresh_givesAResidentTokenOfTheDistrict_thatVotesThere() throws Exception {
        Session newcomer = signedUp();
        JsonNode me = Json.tree(send(get("/me", newcomer.idToken())).body());
        assertThat(me.path("roles")).isEmpty();
        assertThat(me.path("verification").path("verified").asBoolean()).isFalse();
        assertThat(me.path("email").asText()).endsWith("@example.org");

        HttpResponse<String> filed = send(post("/verifications", newcomer.idToken(), "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}"));
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String requestId = Json.tree(filed.body()).path("id").asText();
        assertThat(Json.tree(send(get("/verifications?limit=100", agent)).body()).path("items").findValuesAsText("id")).contains(requestId);

        HttpResponse<String> decided = send(post("/verifications/" + requestId + "/decision", agent, "{\"approve\":true}"));
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        assertThat(Json.tree(decided.body()).path("decidedBy").asText()).isEqualTo("agent-accounts");

        // The token in hand is unchanged; the next refresh carries the group and the district.
        assertThat(claims(newcomer.idToken()).getStringListClaim("cognito:groups")).isEmpty();
        String refreshed = refresh(newcomer);
        assertThat(claims(refreshed).getStringListClaim("cognito:groups")).containsExactly("resident");
        assertThat(claims(refreshed).getStringClaim("custom:district")).isEqualTo("centre");

        Instant opens = Instant.now().minusSeconds(60);
        JsonNode poll = Json.tree(send(post("/consultations", agent, """
                {"title":"Square Jean-Macé","description":"Quel aménagement ?","kind":"POLL","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","liveResults":true,
                 "questions":[{"text":"Des bancs ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(opens, opens.plusSeconds(86_400)))).body());
        String pollId = poll.path("consultation").path("id").asText();
        assertThat(send(post("/consultations/" + pollId + "/schedule", agent, "")).statusCode()).isEqualTo(200);
        String answer = "{\"answers\":[{\"questionId\":\"q1\",\"choices\":[\"c1\"]}]}";
        assertThat(send(post("/consultations/" + pollId + "/participation", newcomer.idToken(), answer)).statusCode()).isEqualTo(403);
        assertThat(send(post("/consultations/" + pollId + "/participation", refreshed, answer)).statusCode()).isEqualTo(201);
        assertThat(Json.tree(send(get("/me", refreshed)).body()).path("verification").path("verified").asBoolean()).isTrue();
    }

    @Test
    void theLocalPool_refusesWhatCognitoRefuses_thoughMotoAloneWouldNot() throws Exception {
        String email = "district-" + UUID.randomUUID() + "@example.org";
        // A sign-up that writes custom:district: the client's WriteAttributes are [email].
        JsonNode refused = pool("SignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "Password", PASSWORD,
                "UserAttributes", List.of(Map.of("Name", "email", "Value", email), Map.of("Name", "custom:district", "Value", "centre"))));
        assertThat(refused.path("__type").asText()).isEqualTo("NotAuthorizedException");
        assertThat(pool("SignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "Password", "short"))
                .path("__type").asText()).isEqualTo("InvalidPasswordException");
        assertThat(pool("ConfirmSignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "ConfirmationCode", "000000"))
                .path("__type").asText()).isEqualTo("CodeMismatchException");

        Session session = signedUp();
        JsonNode update = pool("UpdateUserAttributes", Map.of("AccessToken", session.accessToken(),
                "UserAttributes", List.of(Map.of("Name", "custom:district", "Value", "centre"))));
        assertThat(update.path("__type").asText()).isEqualTo("NotAuthorizedException");
        assertThat(claims(refresh(session)).getStringClaim("custom:district")).isNull();

        // The measured gap: moto itself takes the same write (which is why the front enforces the client's attributes).
        try (var moto = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build()) {
            moto.updateUserAttributes(u -> u.accessToken(session.accessToken())
                    .userAttributes(AttributeType.builder().name("custom:district").value("centre").build()));
        }
        assertThat(claims(refresh(session)).getStringClaim("custom:district")).isEqualTo("centre");
    }

    @Test
    void twoAgentsDecidingAtOnce_giveOneDecision() throws Exception {
        Session newcomer = signedUp();
        String requestId = Json.tree(send(post("/verifications", newcomer.idToken(),
                "{\"method\":\"IN_PERSON\",\"district\":\"gare\"}")).body()).path("id").asText();

        var outcomes = Concurrently.run(8, i -> () -> send(post("/verifications/" + requestId + "/decision",
                platform.issuer().mint(LocalIssuer.User.of("agent-race-" + i, "agent")), "{\"approve\":" + (i % 2 == 0) + "}")));

        List<Integer> statuses = outcomes.stream().map(o -> o.value().statusCode()).toList();
        assertThat(statuses).as(statuses.toString()).containsOnly(200, 409).containsOnlyOnce(200);
        JsonNode kept = Json.tree(send(get("/verifications/" + requestId, agent)).body());
        String winner = outcomes.stream().map(o -> o.value()).filter(r -> r.statusCode() == 200).findFirst().orElseThrow().body();
        assertThat(kept.path("status").asText()).isEqualTo(Json.tree(winner).path("status").asText());
        assertThat(kept.path("decidedBy").asText()).isEqualTo(Json.tree(winner).path("decidedBy").asText());
    }

    @Test
    void aCensusMatch_verifiesAtOnce_andTheEntryBindsOneAccount() throws Exception {
        String document = "CNI" + (100000 + new java.util.Random().nextInt(899999));
        Census census = new Census(Base64.getDecoder().decode(Env.require("CENSUS_KEY")));
        String hmac = census.hmac(document, LocalDate.parse("1984-02-29"));
        HttpResponse<String> loaded = send(post("/census/entries", agent,
                "{\"entries\":[{\"hmac\":\"" + hmac + "\",\"district\":\"croix-rousse\"}]}"));
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);

        Session first = signedUp();
        String body = "{\"method\":\"CENSUS\",\"documentNumber\":\"" + document.toLowerCase() + "\",\"birthDate\":\"1984-02-29\"}";
        HttpResponse<String> matched = send(post("/verifications", first.idToken(), body));
        assertThat(matched.statusCode()).as(matched.body()).isEqualTo(201);
        assertThat(Json.tree(matched.body()).path("status").asText()).isEqualTo("APPROVED");
        assertThat(matched.body()).doesNotContain(document, "1984-02-29");
        assertThat(claims(refresh(first)).getStringClaim("custom:district")).isEqualTo("croix-rousse");

        Session second = signedUp();
        assertThat(send(post("/verifications", second.idToken(), body)).statusCode()).isEqualTo(409);
        HttpResponse<String> wrong = send(post("/verifications", second.idToken(),
                "{\"method\":\"CENSUS\",\"documentNumber\":\"ZZ000000\",\"birthDate\":\"1984-02-29\"}"));
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).doesNotContain("ZZ000000");
    }

    @Test
    void concurrentGuesses_spendNoMoreThanTheTries_andConcurrentCensusAttempts_noMoreThanTheDailyCap() throws Exception {
        String resident = platform.issuer().mint(LocalIssuer.User.of("guesser-" + UUID.randomUUID()));
        String requestId = Json.tree(send(post("/verifications", resident,
                "{\"method\":\"POSTAL\",\"district\":\"gare\",\"address\":\"5 rue du Port\"}")).body()).path("id").asText();
        assertThat(send(post("/verifications/" + requestId + "/letter", agent, "")).statusCode()).isEqualTo(201);

        var guesses = Concurrently.run(10, i -> () -> send(post("/verifications/" + requestId + "/code", resident,
                "{\"code\":\"WRONG" + (100 + i) + "\"}")));
        List<String> details = guesses.stream().map(o -> Json.tree(o.value().body()).path("detail").asText()).toList();
        assertThat(details.stream().filter(d -> d.contains("not the code")).count()).as(details.toString()).isEqualTo(5);
        assertThat(details.stream().filter(d -> d.contains("no tries left")).count()).as(details.toString()).isEqualTo(5);

        String prober = platform.issuer().mint(LocalIssuer.User.of("prober-" + UUID.randomUUID()));
        var attempts = Concurrently.run(8, i -> () -> send(post("/verifications", prober,
                "{\"method\":\"CENSUS\",\"documentNumber\":\"ZZ" + (100000 + i) + "\",\"birthDate\":\"1990-01-01\"}")));
        List<String> answers = attempts.stream().map(o -> Json.tree(o.value().body()).path("detail").asText()).toList();
        assertThat(answers.stream().filter(d -> d.contains("no entry")).count()).as(answers.toString()).isEqualTo(5);
        assertThat(answers.stream().filter(d -> d.contains("too many")).count()).as(answers.toString()).isEqualTo(3);
    }

    @Test
    void deletingMyAccount_removesTheUser_andARetryIsFine() throws Exception {
        Session leaving = signedUp();
        assertThat(send(post("/verifications", leaving.idToken(), "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}")).statusCode())
                .isEqualTo(201);

        assertThat(send(delete("/me", leaving.idToken())).statusCode()).isEqualTo(204);
        assertThat(send(delete("/me", leaving.idToken())).statusCode()).isEqualTo(204);

        try (var moto = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> moto.adminGetUser(g -> g.userPoolId(platform.userPool().poolId())
                    .username(leaving.sub()))).isInstanceOf(UserNotFoundException.class);
        }
        assertThat(Json.tree(send(get("/me", leaving.idToken())).body()).path("verification").path("requests")).isEmpty();
        assertThat(platform.events().deadLetters()).noneMatch(d -> d.detailType().startsWith("Account"));
    }

    @Test
    void anExport_isPendingUntilEveryCapabilityWroteItsPart_thenAssembled_forItsOwnerOnly() throws Exception {
        Session owner = signedUp();
        HttpResponse<String> started = send(post("/me/exports", owner.idToken(), ""));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String exportId = Json.tree(started.body()).path("exportId").asText();
        String location = started.headers().firstValue("location").orElseThrow();
        assertThat(location).isEqualTo("/me/exports/" + exportId);

        String bucket = Env.require("EXPORT_BUCKET");
        try (S3Client s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build()) {
            // The capabilities' consumers answer the event on their own time: once they have, one part
            // is taken away again, so the export is pending on it whatever the timing.
            assertThat(platform.events().awaitDeliveries(java.time.Duration.ofSeconds(120))).isTrue();
            s3.deleteObject(d -> d.bucket(bucket).key("exports/" + exportId + "/telemetry.json"));
            HttpResponse<String> pending = send(get(location, owner.idToken()));
            assertThat(pending.statusCode()).as(pending.body()).isEqualTo(202);
            assertThat(Json.tree(pending.body()).path("pending").toString()).isEqualTo("[\"telemetry\"]");
            for (String capability : List.of("feedback", "bookings", "consultations", "telemetry", "notifications")) {
                s3.putObject(p -> p.bucket(bucket).key("exports/" + exportId + "/" + capability + ".json"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("{\"capability\":\"" + capability + "\"}"));
            }
        }
        HttpResponse<String> ready = send(get(location, owner.idToken()));
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode export = Json.tree(ready.body());
        assertThat(export.path("parts").path("telemetry").path("capability").asText()).isEqualTo("telemetry");
        assertThat(export.path("parts").path("accounts").path("accountId").asText()).isEqualTo(owner.sub());
        assertThat(export.path("readme").has("bookings")).isTrue();

        Session other = signedUp();
        assertThat(send(get(location, other.idToken())).statusCode()).isEqualTo(404);
    }

    @Test
    void everyRoleChange_isRecorded_whoToWhomWhichRoleWhen_seenByAgents_andInThePersonsExport() throws Exception {
        Session person = signedUp();
        assertThat(send(request("POST /accounts/" + person.sub() + "/roles/provider", agent, "{\"organisationId\":\"asso-velo\"}"))
                .statusCode()).isEqualTo(200);
        assertThat(send(request("POST /accounts/" + person.sub() + "/roles/agent", admin, "")).statusCode()).isEqualTo(200);
        assertThat(send(delete("/accounts/" + person.sub() + "/roles/provider", agent)).statusCode()).isEqualTo(200);
        // Refused changes leave no entry.
        assertThat(send(request("POST /accounts/" + person.sub() + "/roles/agent", agent, "")).statusCode()).isEqualTo(403);

        HttpResponse<String> history = send(get("/accounts/" + person.sub() + "/roles", agent));
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        JsonNode items = Json.tree(history.body()).path("items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).path("role").asText()).isEqualTo("provider");
        assertThat(items.get(0).path("granted").asBoolean()).isFalse();
        assertThat(items.get(1).path("role").asText()).isEqualTo("agent");
        assertThat(items.get(1).path("by").asText()).isEqualTo("admin-accounts");
        assertThat(items.get(2).path("organisationId").asText()).isEqualTo("asso-velo");
        assertThat(items.get(2).path("by").asText()).isEqualTo("agent-accounts");
        assertThat(Instant.parse(items.get(2).path("at").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(send(get("/accounts/nobody-" + UUID.randomUUID() + "/roles", agent)).statusCode()).isEqualTo(404);

        // Grants and revocations at once: the pool ends as the last recorded change says.
        Session contested = signedUp();
        Concurrently.run(8, i -> () -> i % 2 == 0 ? send(request("POST /accounts/" + contested.sub() + "/roles/agent", admin, "")).statusCode()
                : send(delete("/accounts/" + contested.sub() + "/roles/agent", admin)).statusCode());
        JsonNode contestedHistory = Json.tree(send(get("/accounts/" + contested.sub() + "/roles", admin)).body()).path("items");
        assertThat(contestedHistory).hasSize(8);
        boolean lastGranted = contestedHistory.get(0).path("granted").asBoolean();
        assertThat(claims(refresh(contested)).getStringListClaim("cognito:groups").contains("agent")).isEqualTo(lastGranted);

        // The person's export carries the same history.
        String exportId = Json.tree(send(post("/me/exports", person.idToken(), "")).body()).path("exportId").asText();
        try (S3Client s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build()) {
            for (String capability : List.of("feedback", "bookings", "consultations", "telemetry", "notifications")) {
                s3.putObject(p -> p.bucket(Env.require("EXPORT_BUCKET")).key("exports/" + exportId + "/" + capability + ".json"),
                        software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));
            }
        }
        HttpResponse<String> ready = send(get("/me/exports/" + exportId, person.idToken()));
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode exported = Json.tree(ready.body()).path("parts").path("accounts").path("roleHistory");
        assertThat(exported).hasSize(3);
        assertThat(exported.findValuesAsText("by")).containsExactly("agent-accounts", "admin-accounts", "agent-accounts");
    }

    @Test
    void aLargeExport_isWrittenOnceToTheBucket_andAnsweredAsAShortLivedLink() throws Exception {
        Session owner = signedUp();
        String exportId = Json.tree(send(post("/me/exports", owner.idToken(), "")).body()).path("exportId").asText();
        assertThat(platform.events().awaitDeliveries(java.time.Duration.ofSeconds(120))).isTrue();
        String bucket = Env.require("EXPORT_BUCKET");
        // A home meter's years of readings: a telemetry part of some 1.5 MB.
        StringBuilder records = new StringBuilder("{\"capability\":\"telemetry\",\"records\":[");
        for (int i = 0; i < 20_000; i++) {
            records.append(i == 0 ? "" : ",").append("{\"type\":\"reading\",\"at\":\"2026-01-01T00:00:00.000Z\",\"values\":{\"energy_kwh\":")
                    .append(1000 + i).append(",\"power_w\":1234.5}}");
        }
        String telemetry = records.append("]}").toString();
        try (S3Client s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build()) {
            s3.putObject(p -> p.bucket(bucket).key("exports/" + exportId + "/telemetry.json"),
                    software.amazon.awssdk.core.sync.RequestBody.fromString(telemetry));

            Instant before = Instant.now();
            HttpResponse<String> first = send(get("/me/exports/" + exportId, owner.idToken()));
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            JsonNode link = Json.tree(first.body());
            assertThat(link.has("parts")).as("not inline").isFalse();
            assertThat(link.path("sizeBytes").asLong()).isGreaterThan(1_000_000);
            Instant expires = Instant.parse(link.path("downloadExpiresAt").asText());
            assertThat(expires).isBetween(before.plusSeconds(290), Instant.now().plusSeconds(301));

            HttpResponse<String> file = HTTP.send(HttpRequest.newBuilder(URI.create(link.path("downloadUrl").asText())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            JsonNode export = Json.tree(file.body());
            assertThat(export.path("exportId").asText()).isEqualTo(exportId);
            assertThat(export.path("parts").path("telemetry").path("records")).hasSize(20_000);
            assertThat(export.path("parts").path("accounts").path("accountId").asText()).isEqualTo(owner.sub());
            assertThat(file.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(link.path("sizeBytes").asInt());

            // Asked again: a new link to the same file, written once.
            HttpResponse<String> second = send(get("/me/exports/" + exportId, owner.idToken()));
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(s3.listObjectVersions(l -> l.bucket(bucket).prefix("exports/" + exportId + "/export.json")).versions()).hasSize(1);
            // Nobody else gets a link to it.
            assertThat(send(get("/me/exports/" + exportId, signedUp().idToken())).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void everyRoute_refusesWhoItShould() throws Exception {
        String stranger = platform.issuer().mint(LocalIssuer.User.of("stranger-accounts"));
        String resident = platform.issuer().mint(LocalIssuer.User.of("resident-accounts", "resident").inDistrict("centre"));
        String provider = platform.issuer().mint(LocalIssuer.User.of("provider-accounts", "provider").ofOrganisation("asso"));
        Map<String, String> agentsOnly = Map.of(
                "GET /verifications", "", "POST /verifications/" + UUID.randomUUID() + "/decision", "{\"approve\":true}",
                "POST /verifications/" + UUID.randomUUID() + "/letter", "", "POST /census/entries", "{\"entries\":[]}",
                "POST /accounts/someone/roles/provider", "{\"organisationId\":\"asso\"}", "DELETE /accounts/someone/roles/provider", "",
                "GET /accounts/someone/roles", "");
        Map<String, String> adminsOnly = Map.of("POST /accounts/someone/roles/agent", "", "DELETE /accounts/someone/roles/agent", "");
        for (var route : agentsOnly.entrySet()) {
            for (String token : List.of(stranger, resident, provider)) {
                assertThat(send(request(route.getKey(), token, route.getValue())).statusCode()).as(route.getKey()).isEqualTo(403);
            }
            assertThat(send(request(route.getKey(), null, route.getValue())).statusCode()).as(route.getKey()).isEqualTo(401);
        }
        for (var route : adminsOnly.entrySet()) {
            for (String token : List.of(stranger, resident, provider, agent)) {
                assertThat(send(request(route.getKey(), token, route.getValue())).statusCode()).as(route.getKey()).isEqualTo(403);
            }
        }
        for (String own : List.of("GET /me", "POST /me/exports", "GET /me/exports/" + UUID.randomUUID(), "DELETE /me",
                "POST /verifications", "GET /verifications/" + UUID.randomUUID(), "POST /verifications/" + UUID.randomUUID() + "/code")) {
            assertThat(send(request(own, null, "{}")).statusCode()).as(own).isEqualTo(401);
        }
        // Someone else's request is not found; nobody grants themselves.
        Session owner = signedUp();
        String requestId = Json.tree(send(post("/verifications", owner.idToken(), "{\"method\":\"IN_PERSON\",\"district\":\"centre\"}"))
                .body()).path("id").asText();
        assertThat(send(get("/verifications/" + requestId, resident)).statusCode()).isEqualTo(404);
        assertThat(send(post("/verifications/" + requestId + "/code", resident, "{\"code\":\"ABCDEFGH\"}")).statusCode()).isEqualTo(404);
        assertThat(send(request("POST /accounts/agent-accounts/roles/provider", agent, "{\"organisationId\":\"mairie\"}")).statusCode())
                .isEqualTo(403);
        assertThat(send(request("POST /accounts/admin-accounts/roles/agent", admin, "")).statusCode()).isEqualTo(403);
        // Admins make agents and agents make providers, of accounts that exist.
        HttpResponse<String> granted = send(request("POST /accounts/" + owner.sub() + "/roles/provider", agent, "{\"organisationId\":\"asso-velo\"}"));
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(Json.tree(granted.body()).path("takesEffect").asText()).contains("next token refresh");
        assertThat(send(request("POST /accounts/" + owner.sub() + "/roles/agent", admin, "")).statusCode()).isEqualTo(200);
        var roles = claims(refresh(owner));
        assertThat(roles.getStringListClaim("cognito:groups")).containsExactlyInAnyOrder("agent", "provider");
        assertThat(roles.getStringClaim("custom:organisation")).isEqualTo("asso-velo");
        assertThat(send(request("POST /accounts/nobody-" + UUID.randomUUID() + "/roles/agent", admin, "")).statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ the user pool, as a client calls it

    static Session signedUp() throws Exception {
        String email = "newcomer-" + UUID.randomUUID() + "@example.org";
        JsonNode up = pool("SignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "Password", PASSWORD,
                "UserAttributes", List.of(Map.of("Name", "email", "Value", email))));
        assertThat(up.path("UserSub").asText()).as(up.toString()).isNotBlank();
        JsonNode early = pool("InitiateAuth", Map.of("ClientId", platform.userPool().clientId(), "AuthFlow", "USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", email, "PASSWORD", PASSWORD)));
        assertThat(early.path("__type").asText()).isEqualTo("UserNotConfirmedException");
        String code = Files.readAllLines(platform.userPool().outbox()).stream().filter(l -> l.contains(" to " + email + ":"))
                .reduce((a, b) -> b).orElseThrow().replaceAll(".*code is ", "").strip();
        JsonNode confirmed = pool("ConfirmSignUp", Map.of("ClientId", platform.userPool().clientId(), "Username", email, "ConfirmationCode", code));
        assertThat(confirmed.has("__type")).as(confirmed.toString()).isFalse();
        JsonNode auth = pool("InitiateAuth", Map.of("ClientId", platform.userPool().clientId(), "AuthFlow", "USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", email, "PASSWORD", PASSWORD))).path("AuthenticationResult");
        String id = auth.path("IdToken").asText();
        return new Session(claims(id).getSubject(), id, auth.path("AccessToken").asText(), auth.path("RefreshToken").asText());
    }

    static String refresh(Session session) throws Exception {
        JsonNode auth = pool("InitiateAuth", Map.of("ClientId", platform.userPool().clientId(), "AuthFlow", "REFRESH_TOKEN_AUTH",
                "AuthParameters", Map.of("REFRESH_TOKEN", session.refreshToken())));
        assertThat(auth.has("AuthenticationResult")).as(auth.toString()).isTrue();
        return auth.path("AuthenticationResult").path("IdToken").asText();
    }

    static JsonNode pool(String operation, Map<String, Object> body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(platform.userPool().url())
                .header("X-Amz-Target", LocalUserPool.TARGET_PREFIX + operation).header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        return Json.tree(response.body());
    }

    static com.nimbusds.jwt.JWTClaimsSet claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    // ------------------------------------------------------------------ HTTP

    private static HttpRequest request(String routeKey, String token, String body) {
        String[] parts = routeKey.split(" ", 2);
        var builder = HttpRequest.newBuilder(uri(parts[1]));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (!body.isEmpty()) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(parts[0], body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest get(String path, String token) {
        return request("GET " + path, token, "");
    }

    private static HttpRequest delete(String path, String token) {
        return request("DELETE " + path, token, "");
    }

    private static HttpRequest post(String path, String token, String body) {
        return request("POST " + path, token, body);
    }

    private static URI uri(String path) {
        return URI.create(platform.apiUrl() + path);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
