package org.territoire.feedback;

import java.util.Map;
import java.util.Optional;
import org.territoire.feedback.open311.BearerTokens;
import org.territoire.shared.http.ApiException;
import org.territoire.shared.identity.Caller;

/**
 * Bearer tokens for handler tests, where no issuer runs: "Bearer sub:group:district" stands
 * for a verified token. The real verification (JWKS, issuer, audience) is exercised end to end
 * by the local runtime's Open311 conformance test.
 */
final class TestBearer implements BearerTokens {
    static final TestBearer FAKE = new TestBearer();

    @Override
    public Optional<Caller> verify(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.replaceFirst("^Bearer ", "").split(":");
        if (parts.length != 3) {
            throw ApiException.unauthorized("the bearer token is not valid");
        }
        return Caller.fromClaims(Map.of("sub", parts[0], Caller.GROUPS_CLAIM, "[" + parts[1] + "]", Caller.DISTRICT_CLAIM, parts[2]));
    }
}
