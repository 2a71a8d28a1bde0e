package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.territoire.shared.json.Json;

/** The local stand-in for Cognito's managed login (code flow with PKCE) and the client's static server, over real HTTP. */
class WebClientServerTest {
    private static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";

    @TempDir
    Path dir;

    private LocalIssuer issuer;
    private WebClientServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @BeforeEach
    void start() throws Exception {
        Path dist = Files.createDirectories(dir.resolve("dist"));
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>client</title>");
        Files.writeString(dist.resolve("config.json"), "{\"territory\":{\"name\":\"Deux Rives\"}}");
        Files.writeString(dist.resolve("sw.js"), "self.addEventListener('fetch', () => {});");
        Files.writeString(dist.resolve("manifest.webmanifest"), "{\"name\":\"Deux Rives\"}");
        Files.writeString(dir.resolve("secret.txt"), "outside the client");
        issuer = LocalIssuer.loadOrCreate(dir.resolve("state"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        server = new WebClientServer(dist, URI.create("http://127.0.0.1:3999"), issuer, 0, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void codeFlowWithPkce_givesAnIdTokenTheApiAccepts_once() throws Exception {
        String code = authorize("alice", WebClientServer.s256(VERIFIER), "xyz");

        HttpResponse<String> token = token(code, VERIFIER, server.redirectUri());

        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode body = Json.MAPPER.readTree(token.body());
        Map<String, String> claims = new JwtAuthorizer(issuer).authorize("Bearer " + body.path("id_token").asText()).orElseThrow();
        assertThat(claims).containsEntry("sub", "alice").containsEntry("cognito:groups", "[resident]").containsEntry("custom:district", "centre");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        // A code is redeemed once.
        assertThat(token(code, VERIFIER, server.redirectUri()).body()).contains("invalid_grant");
    }

    @Test
    void tokenEndpoint_refusesTheWrongVerifier_anExpiredCode_andAnotherCallback() throws Exception {
        String challenge = WebClientServer.s256(VERIFIER);
        assertThat(token(authorize("alice", challenge, "s"), VERIFIER.replace('a', 'b'), server.redirectUri()).statusCode()).isEqualTo(400);
        assertThat(token(authorize("alice", challenge, "s"), VERIFIER, "http://evil.example/").body()).contains("invalid_grant");
        String late = authorize("alice", challenge, "s");
        now = now.plus(WebClientServer.CODE_TTL).plusSeconds(1);
        assertThat(token(late, VERIFIER, server.redirectUri()).body()).contains("invalid_grant");
        assertThat(post("/oauth2/token", Map.of("grant_type", "password", "username", "alice")).body()).contains("unsupported_grant_type");
    }

    @Test
    void loginPage_listsTheDemoUsers_andRefusesWhatCognitoRefuses() throws Exception {
        String challenge = WebClientServer.s256(VERIFIER);
        HttpResponse<String> page = get("/oauth2/authorize?" + form(authorizeParams(challenge, "s")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("lang=\"fr\"", "value=\"alice\"", "value=\"agent-demo\"", "value=\"resident-demo\"");

        Map<String, String> otherCallback = authorizeParams(challenge, "s");
        otherCallback.put("redirect_uri", "http://evil.example/");
        Map<String, String> noPkce = authorizeParams(challenge, "s");
        noPkce.remove("code_challenge");
        Map<String, String> plain = authorizeParams(challenge, "s");
        plain.put("code_challenge_method", "plain");
        Map<String, String> otherClient = authorizeParams(challenge, "s");
        otherClient.put("client_id", "someone-else");
        for (Map<String, String> refused : List.of(otherCallback, noPkce, plain, otherClient)) {
            assertThat(get("/oauth2/authorize?" + form(refused)).statusCode()).isEqualTo(400);
            refused.put("user", "alice");
            HttpResponse<String> choice = post("/oauth2/authorize", refused);
            assertThat(choice.statusCode()).isEqualTo(400);
            assertThat(choice.headers().firstValue("location")).isEmpty();
        }
        Map<String, String> unknownUser = authorizeParams(challenge, "s");
        unknownUser.put("user", "mallory");
        assertThat(post("/oauth2/authorize", unknownUser).statusCode()).isEqualTo(400);
    }

    @Test
    void refreshToken_givesNewIdTokens_keepsItself_andIsRefusedOnceRevoked() throws Exception {
        JsonNode first = Json.MAPPER.readTree(token(authorize("alice", WebClientServer.s256(VERIFIER), "s"), VERIFIER, server.redirectUri()).body());
        String refreshToken = first.path("refresh_token").asText();
        assertThat(refreshToken).isNotBlank();

        now = now.plusSeconds(3000);
        HttpResponse<String> refreshed = refresh(refreshToken, LocalIssuer.AUDIENCE);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(refreshed.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode body = Json.MAPPER.readTree(refreshed.body());
        // Rotation is off (Cognito's default): the same refresh token goes on, none is returned.
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.path("id_token").asText()).isNotEqualTo(first.path("id_token").asText());
        assertThat(new JwtAuthorizer(issuer).authorize("Bearer " + body.path("id_token").asText()).orElseThrow()).containsEntry("sub", "alice");
        assertThat(refresh(refreshToken, LocalIssuer.AUDIENCE).statusCode()).isEqualTo(200);

        assertThat(post("/oauth2/revoke", Map.of("token", refreshToken, "client_id", LocalIssuer.AUDIENCE)).statusCode()).isEqualTo(200);
        HttpResponse<String> revoked = refresh(refreshToken, LocalIssuer.AUDIENCE);
        assertThat(revoked.statusCode()).isEqualTo(400);
        assertThat(revoked.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    }

    @Test
    void tokenEndpoint_refusesAnUnknownRefreshToken_anotherClientsOne_andAnExpiredOne() throws Exception {
        String refreshToken = Json.MAPPER.readTree(token(authorize("lea", WebClientServer.s256(VERIFIER), "s"), VERIFIER, server.redirectUri())
                .body()).path("refresh_token").asText();
        assertThat(refresh("not-a-token-this-server-issued", LocalIssuer.AUDIENCE).body()).isEqualTo("{\"error\":\"invalid_grant\"}");
        assertThat(post("/oauth2/token", Map.of("grant_type", "refresh_token", "client_id", LocalIssuer.AUDIENCE)).body()).contains("invalid_grant");
        assertThat(refresh(refreshToken, "someone-else").body()).contains("invalid_grant");
        // Revoke: RFC 7009's answers, as Cognito's endpoint gives them.
        assertThat(post("/oauth2/revoke", Map.of("client_id", LocalIssuer.AUDIENCE)).body()).contains("invalid_request");
        assertThat(post("/oauth2/revoke", Map.of("token", refreshToken, "client_id", "someone-else")).body()).contains("invalid_client");
        assertThat(post("/oauth2/revoke", Map.of("token", "unknown", "client_id", LocalIssuer.AUDIENCE)).statusCode()).isEqualTo(200);
        assertThat(get("/oauth2/revoke").statusCode()).isEqualTo(405);
        assertThat(refresh(refreshToken, LocalIssuer.AUDIENCE).statusCode()).isEqualTo(200);
        now = now.plus(WebClientServer.REFRESH_TTL);
        assertThat(refresh(refreshToken, LocalIssuer.AUDIENCE).body()).contains("invalid_grant");
    }

    @Test
    void withoutAUserPool_theLoginPageOffersNoSignUp() throws Exception {
        assertThat(get("/oauth2/authorize?" + form(authorizeParams(WebClientServer.s256(VERIFIER), "s"))).body()).doesNotContain("/signup");
        assertThat(get("/signup").statusCode()).isEqualTo(404);
    }

    @Test
    void twoConcurrentRedemptionsOfOneCode_giveOneToken() throws Exception {
        for (int round = 0; round < 5; round++) {
            String code = authorize("lea", WebClientServer.s256(VERIFIER), "s");
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<Integer>> racers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racers.add(() -> {
                    go.await();
                    return token(code, VERIFIER, server.redirectUri()).statusCode();
                });
            }
            try (var pool = Executors.newFixedThreadPool(4)) {
                List<Future<Integer>> results = racers.stream().map(pool::submit).toList();
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : results) {
                    statuses.add(f.get());
                }
                assertThat(statuses).containsExactlyInAnyOrder(200, 400, 400, 400);
            }
        }
    }

    @Test
    void viteDevServer_isASecondCallback_whoseOriginMayReadTheTokenAnswer() throws Exception {
        Map<String, String> params = authorizeParams(WebClientServer.s256(VERIFIER), "s");
        params.put("redirect_uri", WebClientServer.DEV_CALLBACK);
        params.put("user", "alice");
        URI location = URI.create(post("/oauth2/authorize", params).headers().firstValue("location").orElseThrow());
        String code = WebClientServer.query(location.getRawQuery()).get("code");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth2/token"))
                .header("content-type", "application/x-www-form-urlencoded").header("origin", "http://127.0.0.1:5173")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "client_id", LocalIssuer.AUDIENCE,
                        "code", code, "redirect_uri", WebClientServer.DEV_CALLBACK, "code_verifier", VERIFIER)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("access-control-allow-origin")).hasValue("http://127.0.0.1:5173");
        assertThat(token(authorize("alice", WebClientServer.s256(VERIFIER), "s"), VERIFIER, server.redirectUri())
                .headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void config_carriesThisPlatformsApiAndSignIn_overTheTerritorysSettings() throws Exception {
        JsonNode config = Json.MAPPER.readTree(get("/config.json").body());
        assertThat(config.path("territory").path("name").asText()).isEqualTo("Deux Rives");
        assertThat(config.path("apiUrl").asText()).isEqualTo("http://127.0.0.1:3999");
        assertThat(config.path("auth").path("tokenUrl").asText()).isEqualTo(server.url() + "/oauth2/token");
        assertThat(config.path("auth").path("redirectUri").asText()).isEqualTo(server.redirectUri());
        assertThat(config.path("auth").path("clientId").asText()).isEqualTo(LocalIssuer.AUDIENCE);
    }

    @Test
    void staticFiles_areServedWithSecurityHeaders_andNothingOutsideTheClient() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'self'", "connect-src 'self' http://127.0.0.1:3999", "frame-ancestors 'none'");
        assertThat(index.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(get("/../secret.txt").statusCode()).isEqualTo(404);
        assertThat(get("/%2e%2e/secret.txt").statusCode()).isEqualTo(404);
        assertThat(get("/nothing-here.js").statusCode()).isEqualTo(404);
        assertThat(post("/index.html", Map.of()).statusCode()).isEqualTo(405);
    }

    @Test
    void theServiceWorkerAndManifest_areAllowedFromThisOriginOnly_andTheWorkerIsRevalidatedOnEachVisit() throws Exception {
        HttpResponse<String> worker = get("/sw.js");
        assertThat(worker.statusCode()).isEqualTo(200);
        assertThat(worker.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        // A worker kept in the HTTP cache would delay a fixed one (the browser caps it at 24 h, no-cache makes it 0).
        assertThat(worker.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(worker.headers().firstValue("content-security-policy").orElseThrow()).contains("worker-src 'self'", "manifest-src 'self'");
        assertThat(get("/manifest.webmanifest").headers().firstValue("content-type")).hasValue("application/manifest+json");
    }

    @Test
    void aSignInStartsTheLoginPagesSession_reusedSilently_untilLogoutEndsIt_whichRefusesAnUnlistedLogoutUri() throws Exception {
        Map<String, String> params = authorizeParams(WebClientServer.s256(VERIFIER), "s");
        params.put("user", "alice");
        HttpResponse<String> signIn = post("/oauth2/authorize", params);
        String setCookie = signIn.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith(WebClientServer.SESSION_COOKIE + "=").contains("HttpOnly", "SameSite=Lax", "Max-Age=3600");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String again = "/oauth2/authorize?" + form(authorizeParams(WebClientServer.s256(VERIFIER), "t"));

        // Within the session, an authorization request gets a code at once: the next sign-in would not ask.
        HttpResponse<String> silent = getWithCookie(again, cookie);
        assertThat(silent.statusCode()).isEqualTo(302);
        String code = WebClientServer.query(URI.create(silent.headers().firstValue("location").orElseThrow()).getRawQuery()).get("code");
        HttpResponse<String> token = token(code, VERIFIER, server.redirectUri());
        assertThat(new JwtAuthorizer(issuer).authorize("Bearer " + Json.MAPPER.readTree(token.body()).path("id_token").asText()).orElseThrow())
                .containsEntry("sub", "alice");

        // Refused as Cognito refuses: another client, a logout_uri that is not an allowed sign-out URL, none; the session stays.
        String logout = "/logout?" + form(Map.of("client_id", LocalIssuer.AUDIENCE, "logout_uri", server.redirectUri()));
        for (String refused : List.of("/logout?" + form(Map.of("client_id", "someone-else", "logout_uri", server.redirectUri())),
                "/logout?" + form(Map.of("client_id", LocalIssuer.AUDIENCE, "logout_uri", "https://evil.example/")),
                "/logout?" + form(Map.of("client_id", LocalIssuer.AUDIENCE, "logout_uri", server.redirectUri() + "elsewhere")),
                "/logout?" + form(Map.of("client_id", LocalIssuer.AUDIENCE)))) {
            HttpResponse<String> answer = getWithCookie(refused, cookie);
            assertThat(answer.statusCode()).as(refused).isEqualTo(400);
            assertThat(answer.headers().firstValue("location")).isEmpty();
        }
        assertThat(getWithCookie(again, cookie).statusCode()).isEqualTo(302);

        HttpResponse<String> out = getWithCookie(logout, cookie);
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("location")).hasValue(server.redirectUri());
        assertThat(out.headers().firstValue("set-cookie").orElseThrow()).startsWith(WebClientServer.SESSION_COOKIE + "=;").contains("Max-Age=0");
        // Ended on the server too: the old cookie, replayed, brings the login page back.
        HttpResponse<String> page = getWithCookie(again, cookie);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"alice\"");
        // The Vite dev server's URL is a sign-out URL as it is a callback URL.
        assertThat(get("/logout?" + form(Map.of("client_id", LocalIssuer.AUDIENCE, "logout_uri", WebClientServer.DEV_CALLBACK))).statusCode())
                .isEqualTo(302);
    }

    @Test
    void anExpiredLoginSession_asksAgain() throws Exception {
        Map<String, String> params = authorizeParams(WebClientServer.s256(VERIFIER), "s");
        params.put("user", "lea");
        String setCookie = post("/oauth2/authorize", params).headers().firstValue("set-cookie").orElseThrow();
        now = now.plus(WebClientServer.SESSION_TTL).plusSeconds(1);
        assertThat(getWithCookie("/oauth2/authorize?" + form(authorizeParams(WebClientServer.s256(VERIFIER), "t")),
                setCookie.substring(0, setCookie.indexOf(';'))).statusCode()).isEqualTo(200);
    }

    @Test
    void textFilesOfAKilobyteOrMore_areGzippedForAViewerThatAsks_asCloudFrontCompresses() throws Exception {
        Path assets = Files.createDirectories(dir.resolve("dist").resolve("assets"));
        String script = "export const x = 1;\n".repeat(200);
        Files.writeString(assets.resolve("index-abc.js"), script);
        Files.write(assets.resolve("icon.png"), new byte[4000]);
        HttpResponse<byte[]> zipped = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/assets/index-abc.js"))
                .header("accept-encoding", "br, gzip;q=0.8").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(zipped.headers().firstValue("vary")).hasValue("accept-encoding");
        assertThat(zipped.body().length).isLessThan(script.length() / 4);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(script);
        }
        // Not asked (or refused with q=0), under a kilobyte, or an image already compressed: as it is on disk.
        HttpResponse<String> plain = get("/assets/index-abc.js");
        assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(script);
        for (String[] request : List.of(new String[] {"/assets/index-abc.js", "identity, gzip;q=0"}, new String[] {"/index.html", "gzip"},
                new String[] {"/assets/icon.png", "gzip"})) {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(server.url() + request[0]))
                    .header("accept-encoding", request[1]).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(answer.headers().firstValue("content-encoding")).as(request[0]).isEmpty();
        }
    }

    private Map<String, String> authorizeParams(String challenge, String state) {
        return new java.util.LinkedHashMap<>(Map.of("response_type", "code", "client_id", LocalIssuer.AUDIENCE,
                "redirect_uri", server.redirectUri(), "state", state, "code_challenge", challenge, "code_challenge_method", "S256"));
    }

    /** Picks a demo user on the login page; returns the code from the redirect to the callback. */
    private String authorize(String user, String challenge, String state) throws Exception {
        Map<String, String> params = authorizeParams(challenge, state);
        params.put("user", user);
        HttpResponse<String> answer = post("/oauth2/authorize", params);
        assertThat(answer.statusCode()).isEqualTo(302);
        URI location = URI.create(answer.headers().firstValue("location").orElseThrow());
        assertThat(location.toString()).startsWith(server.redirectUri() + "?code=").endsWith("&state=" + state);
        return WebClientServer.query(location.getRawQuery()).get("code");
    }

    private HttpResponse<String> token(String code, String verifier, String redirectUri) throws Exception {
        return post("/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", LocalIssuer.AUDIENCE, "code", code,
                "redirect_uri", redirectUri, "code_verifier", verifier));
    }

    private HttpResponse<String> refresh(String refreshToken, String clientId) throws Exception {
        return post("/oauth2/token", Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    private HttpResponse<String> getWithCookie(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> params) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
