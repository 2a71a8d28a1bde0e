package org.territoire.feedback.open311;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.territoire.shared.http.ApiException;
import org.territoire.shared.identity.Caller;

/**
 * Verifies tokens as the HTTP API's JWT authorizer does: RS256 signature against the issuer's
 * JWKS (fetched on first use and cached), {@code iss}, {@code exp}/{@code nbf}/{@code iat} with no
 * leeway, and an audience
 * or Cognito {@code client_id} equal to the app client.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
public final class JwksBearerTokens implements BearerTokens {
    private final String issuer;
    private final String audience;
    private final String jwks;
    private final Clock clock;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public JwksBearerTokens(String issuer, String audience, String jwks) {
        this(issuer, audience, jwks, Clock.systemUTC());
    }

    /** With the clock to judge {@code exp}, {@code nbf} and {@code iat} by. */
    public JwksBearerTokens(String issuer, String audience, String jwks, Clock clock) {
        this.issuer = issuer;
        this.audience = audience;
        this.jwks = jwks;
        this.clock = clock;
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
                    p.setJWTClaimsSetVerifier(new GatewayClockRules(issuer, clock));
                    processor = p;
                }
                built = processor;
            }
        }
        return built;
    }

    /**
     * API Gateway's rules, with no leeway: {@code exp} after now, {@code nbf} and {@code iat} not
     * after now. Nimbus alone would allow a minute of clock skew, so a token expired 50 s ago (or
     * not yet valid) would pass here and be refused on every other route.
     */
    static final class GatewayClockRules extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;

        GatewayClockRules(String issuer, Clock clock) {
            super(new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp"));
            this.clock = clock;
            setMaxClockSkew(0);
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Instant now = clock.instant();
            if (!claims.getExpirationTime().toInstant().isAfter(now)) {
                throw new BadJWTException("expired");
            }
            if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)) {
                throw new BadJWTException("not yet valid");
            }
            if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now)) {
                throw new BadJWTException("issued in the future");
            }
        }
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
