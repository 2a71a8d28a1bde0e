package org.territoire.feedback.open311;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.http.Caller;

/**
 * Verifies tokens as the HTTP API's JWT authorizer does: RS256 signature against the issuer's
 * JWKS (fetched on first use and cached), {@code iss}, {@code exp}/{@code nbf}, and an audience
 * or Cognito {@code client_id} equal to the app client.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
public final class JwksBearerTokens implements BearerTokens {
    private final String issuer;
    private final String audience;
    private final String jwks;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public JwksBearerTokens(String issuer, String audience, String jwks) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwks = jwks;
    }

    /** Built on the first token: a function that never sees one never fetches the keys. */
    private DefaultJWTProcessor<SecurityContext> processor() {
        DefaultJWTProcessor<SecurityContext> built = processor;
        if (built == null) {
            synchronized (this) {
                if (processor == null) {
                    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
                    try {
                        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create(jwks).toURL()).retrying(true).build();
                        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
                    } catch (MalformedURLException | IllegalArgumentException e) {
                        throw new IllegalStateException("JWKS address " + jwks + " is not a URL", e);
                    }
                    p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer(issuer).build(),
                            Set.of("sub", "exp")));
                    processor = p;
                }
                built = processor;
            }
        }
        return built;
    }

    @Override
    public Optional<Caller> verify(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("the Authorization header must be a bearer token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor().process(header.substring(7).strip(), null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw ApiException.unauthorized("the bearer token is not valid");
        }
        if (!claims.getAudience().contains(audience) && !audience.equals(claims.getClaim("client_id"))) {
            throw ApiException.unauthorized("the bearer token was issued to another client");
        }
        // Flattened as API Gateway passes claims to a function: arrays written as [a b].
        Map<String, String> flat = new LinkedHashMap<>();
        claims.getClaims().forEach((name, value) -> flat.put(name, value instanceof Collection<?> list
                ? list.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]")) : String.valueOf(value)));
        return Caller.fromClaims(flat);
    }
}
