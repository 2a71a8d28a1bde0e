package org.territoire.local.runtime;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a bearer token the way API Gateway's JWT authorizer does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * RS256 signature from the issuer's key, {@code iss}, {@code aud} (or {@code client_id}),
 * {@code exp}, {@code nbf} and {@code iat}, with no leeway. It hands the claims on as API Gateway does: every value a
 * string, arrays written {@code [a b]}.
 */
public final class JwtAuthorizer {
    private final LocalIssuer issuer;

    public JwtAuthorizer(LocalIssuer issuer) {
        this.issuer = issuer;
    }

    /** The claims, or empty when the token is missing or invalid (API Gateway then answers 401). */
    public Optional<Map<String, String>> authorize(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !issuer.keyId().equals(jwt.getHeader().getKeyID())
                    || !jwt.verify(issuer.verifier())) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = issuer.clock().instant();
            boolean audienceOk = claims.getAudience().contains(LocalIssuer.AUDIENCE)
                    || LocalIssuer.AUDIENCE.equals(claims.getClaim("client_id"));
            if (!LocalIssuer.ISSUER.equals(claims.getIssuer()) || !audienceOk
                    || claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)
                    || claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)
                    || claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(flatten(claims.getClaims()));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }

    static Map<String, String> flatten(Map<String, Object> claims) {
        Map<String, String> flat = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            if (value instanceof Collection<?> list) {
                flat.put(name, list.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]")));
            } else if (value instanceof Date date) {
                flat.put(name, Long.toString(date.toInstant().getEpochSecond()));
            } else if (value != null) {
                flat.put(name, String.valueOf(value));
            }
        });
        return flat;
    }
}
