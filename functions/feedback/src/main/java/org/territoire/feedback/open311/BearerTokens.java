package org.territoire.feedback.open311;

import java.util.Optional;
import org.territoire.shared.identity.Caller;

/**
 * Checks a bearer token on the Open311 routes, which API Gateway lets through without its JWT
 * authorizer (Open311 clients read anonymously and write with an api_key). Empty when the
 * request carries no token; a 401 when it carries a bad one.
 */
public interface BearerTokens {
    Optional<Caller> verify(String authorizationHeader);
}
