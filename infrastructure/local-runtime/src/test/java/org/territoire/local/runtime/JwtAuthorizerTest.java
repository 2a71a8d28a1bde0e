package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthorizerTest {
    @TempDir
    Path state;

    @Test
    void validToken_passesItsClaimsAsApiGatewayDoes() {
        LocalIssuer issuer = LocalIssuer.loadOrCreate(state);
        String token = issuer.mint(LocalIssuer.User.of("alice", "resident", "agent").inDistrict("centre"));

        var claims = new JwtAuthorizer(issuer).authorize("Bearer " + token).orElseThrow();

        assertThat(claims).containsEntry("sub", "alice").containsEntry("cognito:groups", "[resident agent]")
                .containsEntry("custom:district", "centre").containsEntry("iss", LocalIssuer.ISSUER);
        assertThat(claims.get("exp")).matches("\\d+");
    }

    @Test
    void missingExpiredForgedOrForeignTokens_areRefused() {
        LocalIssuer issuer = LocalIssuer.loadOrCreate(state);
        JwtAuthorizer authorizer = new JwtAuthorizer(issuer);
        String valid = issuer.mint(LocalIssuer.User.of("alice", "resident"));
        String[] parts = valid.split("\\.");
        String forgedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("resident", "admin").getBytes());

        assertThat(authorizer.authorize(null)).isEmpty();
        assertThat(authorizer.authorize("Bearer not-a-jwt")).isEmpty();
        assertThat(authorizer.authorize("Bearer " + issuer.mint(LocalIssuer.User.of("a", "resident"), Duration.ofSeconds(-5)))).isEmpty();
        assertThat(authorizer.authorize("Bearer " + parts[0] + "." + forgedPayload + "." + parts[2])).isEmpty();
        LocalIssuer stranger = LocalIssuer.loadOrCreate(state.resolve("other"));
        assertThat(authorizer.authorize("Bearer " + stranger.mint(LocalIssuer.User.of("mallory", "admin")))).isEmpty();
    }

    @Test
    void theIssuerKey_survivesRestarts_soMintedTokensStayValid() {
        String token = LocalIssuer.loadOrCreate(state).mint(LocalIssuer.User.of("bob", "provider"));

        assertThat(new JwtAuthorizer(LocalIssuer.loadOrCreate(state)).authorize(token)).isPresent();
    }
}
