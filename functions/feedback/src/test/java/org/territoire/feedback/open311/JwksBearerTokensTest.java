package org.territoire.feedback.open311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.http.ApiException;
import org.territoire.shared.identity.Role;

/** The Open311 routes judge a bearer token by the same clock rules as the gateway's JWT authorizer: no leeway. */
class JwksBearerTokensTest {
    private static final String ISSUER = "https://issuer.test";
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static HttpServer jwksServer;
    private static RSAKey key;
    private static JwksBearerTokens tokens;

    @BeforeAll
    static void serveKeys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        jwksServer.start();
        tokens = new JwksBearerTokens(ISSUER, "app-client",
                "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json", Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        jwksServer.stop(0);
    }

    @Test
    void aValidToken_givesItsCaller() {
        var caller = tokens.verify("Bearer " + token(c -> c));

        assertThat(caller).hasValueSatisfying(who -> assertThat(who.roles()).containsExactly(Role.RESIDENT));
    }

    @Test
    void aTokenExpired50SecondsAgo_isRefused_asTheGatewayRefusesIt() {
        String expired = token(c -> c.issueTime(Date.from(NOW.minusSeconds(3650))).notBeforeTime(Date.from(NOW.minusSeconds(3650)))
                .expirationTime(Date.from(NOW.minusSeconds(50))));

        assertThatThrownBy(() -> tokens.verify("Bearer " + expired))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aTokenNotYetValid_orIssuedInTheFuture_isRefused() {
        String early = token(c -> c.notBeforeTime(Date.from(NOW.plusSeconds(30))));
        String future = token(c -> c.issueTime(Date.from(NOW.plusSeconds(30))).notBeforeTime(null));

        assertThatThrownBy(() -> tokens.verify("Bearer " + early)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> tokens.verify("Bearer " + future)).isInstanceOf(ApiException.class);
    }

    private static String token(UnaryOperator<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience("app-client").subject("lea")
                .issueTime(Date.from(NOW.minusSeconds(60))).notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(3600))).claim("cognito:groups", List.of("resident"));
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    change.apply(claims).build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
