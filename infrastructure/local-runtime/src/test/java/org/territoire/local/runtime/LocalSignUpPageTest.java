package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/**
 * Sign-up on the local login page (the stand-in for Cognito's managed login), over HTTP against the real local user
 * pool: what the pool refuses, the page refuses (weak password, an email already signed up, a wrong code), the code
 * comes from the pool's outbox, and the account comes back to the client signed in, its role read again at refresh.
 */
class LocalSignUpPageTest {
    private static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-0123456789";
    private static final String PASSWORD = "Correct-Horse-42";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static LocalPlatform platform;
    private static WebClientServer server;

    @TempDir
    static Path dist;

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>client</title>");
        server = new WebClientServer(dist, platform.apiUrl(), platform.issuer(), platform.userPool(), 0, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        server.close();
        platform.close();
    }

    @Test
    void aNewcomer_signsUp_confirmsTheEmailedCode_andComesBackSignedIn() throws Exception {
        String email = "newcomer-" + UUID.randomUUID() + "@example.org";
        HttpResponse<String> login = get("/oauth2/authorize?" + form(oauth()));
        assertThat(login.body()).contains("href=\"/signup?", "action=\"/login\"");
        HttpResponse<String> signUpPage = get("/signup?" + form(oauth()));
        assertThat(signUpPage.statusCode()).isEqualTo(200);
        // Only the client's write attributes: no district to type (the residency verification sets it).
        assertThat(signUpPage.body()).contains("name=\"email\"", "name=\"password\"").doesNotContain("name=\"district\"");

        HttpResponse<String> weak = post("/signup", with(oauth(), "email", email, "password", "short"));
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("Mot de passe trop faible").doesNotContain("value=\"short\"");

        HttpResponse<String> signedUp = post("/signup", with(oauth(), "email", email, "password", PASSWORD,
                "custom:district", "centre"));
        assertThat(signedUp.statusCode()).isEqualTo(200);
        assertThat(signedUp.body()).contains("Confirmer votre compte", platform.userPool().outbox().toString());

        HttpResponse<String> again = post("/signup", with(oauth(), "email", email, "password", PASSWORD));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("Un compte existe déjà");

        String code = codeFor(email);
        String wrong = code.equals("000000") ? "111111" : "000000";
        HttpResponse<String> mismatch = post("/confirmUser", with(oauth(), "email", email, "code", wrong, "password", PASSWORD, "action", "confirm"));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).contains("Code incorrect");
        HttpResponse<String> early = post("/login", with(oauth(), "email", email, "password", PASSWORD));
        assertThat(early.body()).contains("pas encore confirmé");

        HttpResponse<String> confirmed = post("/confirmUser", with(oauth(), "email", email, "code", code, "password", PASSWORD, "action", "confirm"));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(302);
        JsonNode tokens = redeem(confirmed);
        JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(tokens.path("id_token").asText()).getJWTClaimsSet();
        assertThat(new JwtAuthorizer(platform.issuer()).authorize("Bearer " + tokens.path("id_token").asText())).isPresent();
        assertThat(claims.getStringClaim("email")).isEqualTo(email);
        // The district given in the form went nowhere: it is not a write attribute of the client.
        assertThat(claims.getClaim("custom:district")).isNull();
        assertThat(claims.getStringListClaim("cognito:groups")).isNullOrEmpty();
        assertThat(tokens.path("expires_in").asLong()).isEqualTo(90);

        // A group granted afterwards (here by an administrator) is in the token of the next refresh.
        try (CognitoIdentityProviderClient moto = org.territoire.shared.ddb.Aws.configure(CognitoIdentityProviderClient.builder(),
                "COGNITO_IDENTITY_PROVIDER").httpClient(org.territoire.shared.ddb.Aws.httpClient()).build()) {
            moto.adminAddUserToGroup(g -> g.userPoolId(platform.userPool().poolId()).username(email).groupName("resident"));
        }
        HttpResponse<String> refreshed = post("/oauth2/token", Map.of("grant_type", "refresh_token", "client_id", LocalIssuer.AUDIENCE,
                "refresh_token", tokens.path("refresh_token").asText()));
        assertThat(com.nimbusds.jwt.SignedJWT.parse(Json.tree(refreshed.body()).path("id_token").asText()).getJWTClaimsSet()
                .getStringListClaim("cognito:groups")).containsExactly("resident");

        // And the account signs in again with its password, not with a wrong one.
        assertThat(post("/login", with(oauth(), "email", email, "password", "Wrong-Horse-42")).body()).contains("mot de passe incorrect");
        assertThat(post("/login", with(oauth(), "email", email, "password", PASSWORD)).statusCode()).isEqualTo(302);

        // Deleted, the account's refresh token ends with it.
        try (CognitoIdentityProviderClient moto = org.territoire.shared.ddb.Aws.configure(CognitoIdentityProviderClient.builder(),
                "COGNITO_IDENTITY_PROVIDER").httpClient(org.territoire.shared.ddb.Aws.httpClient()).build()) {
            moto.adminDeleteUser(d -> d.userPoolId(platform.userPool().poolId()).username(email));
        }
        HttpResponse<String> gone = post("/oauth2/token", Map.of("grant_type", "refresh_token", "client_id", LocalIssuer.AUDIENCE,
                "refresh_token", tokens.path("refresh_token").asText()));
        assertThat(gone.statusCode()).isEqualTo(400);
        assertThat(gone.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    }

    @Test
    void theSignUpForms_refuseAnAuthorizationRequestCognitoWouldRefuse() throws Exception {
        Map<String, String> evil = oauth();
        evil.put("redirect_uri", "http://evil.example/");
        assertThat(get("/signup?" + form(evil)).statusCode()).isEqualTo(400);
        HttpResponse<String> posted = post("/signup", with(evil, "email", "x-" + UUID.randomUUID() + "@example.org", "password", PASSWORD));
        assertThat(posted.statusCode()).isEqualTo(400);
        assertThat(posted.headers().firstValue("location")).isEmpty();
        assertThat(post("/login", with(evil, "email", "x@example.org", "password", PASSWORD)).headers().firstValue("location")).isEmpty();
    }

    private static String codeFor(String email) throws Exception {
        return Files.readAllLines(platform.userPool().outbox()).stream().filter(l -> l.contains(" to " + email + ":"))
                .reduce((a, b) -> b).orElseThrow().replaceAll(".*code is ", "").strip();
    }

    private static JsonNode redeem(HttpResponse<String> redirect) throws Exception {
        URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
        assertThat(location.toString()).startsWith(server.redirectUri() + "?code=").endsWith("&state=st");
        String code = WebClientServer.query(location.getRawQuery()).get("code");
        HttpResponse<String> token = post("/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", LocalIssuer.AUDIENCE,
                "code", code, "redirect_uri", server.redirectUri(), "code_verifier", VERIFIER));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return Json.tree(token.body());
    }

    private static Map<String, String> oauth() {
        return new LinkedHashMap<>(Map.of("response_type", "code", "client_id", LocalIssuer.AUDIENCE, "redirect_uri", server.redirectUri(),
                "state", "st", "code_challenge", WebClientServer.s256(VERIFIER), "code_challenge_method", "S256"));
    }

    private static Map<String, String> with(Map<String, String> base, String... pairs) {
        Map<String, String> out = new LinkedHashMap<>(base);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, Map<String, String> params) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
