package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.territoire.shared.json.Json;

/**
 * The local login page's way to the local user pool: its public JSON API over HTTP
 * ({@code X-Amz-Target: AWSCognitoIdentityProviderService.*}), as Cognito's managed login uses its pool, so a
 * sign-up on the page is refused exactly where an app's SignUp would be (weak password, existing email, wrong code).
 */
final class UserPoolApi {
    /** A refusal of the pool, in Cognito's shape: its error type (e.g. CodeMismatchException) and message. */
    static final class Refused extends Exception {
        final String type;

        Refused(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }

    private final LocalUserPool pool;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    UserPoolApi(LocalUserPool pool) {
        this.pool = pool;
    }

    LocalUserPool userPool() {
        return pool;
    }

    void signUp(String email, String password) throws Refused {
        // Only the client's write attributes: the email, also the username (UsernameAttributes: [email]).
        call("SignUp", Map.of("ClientId", pool.clientId(), "Username", email, "Password", password,
                "UserAttributes", List.of(Map.of("Name", "email", "Value", email))));
    }

    void confirm(String email, String code) throws Refused {
        call("ConfirmSignUp", Map.of("ClientId", pool.clientId(), "Username", email, "ConfirmationCode", code));
    }

    void resend(String email) throws Refused {
        call("ResendConfirmationCode", Map.of("ClientId", pool.clientId(), "Username", email));
    }

    /** USER_PASSWORD_AUTH; answers the account's sub, read from the ID token the pool issued. */
    String signIn(String email, String password) throws Refused {
        JsonNode answer = call("InitiateAuth", Map.of("ClientId", pool.clientId(), "AuthFlow", "USER_PASSWORD_AUTH",
                "AuthParameters", Map.of("USERNAME", email, "PASSWORD", password)));
        try {
            return SignedJWT.parse(answer.path("AuthenticationResult").path("IdToken").asText()).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw new IllegalStateException("the local user pool answered an ID token that is not a JWT", e);
        }
    }

    private JsonNode call(String operation, Map<String, Object> body) throws Refused {
        HttpRequest request = HttpRequest.newBuilder(pool.url().resolve("/")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amz-target", LocalUserPool.TARGET_PREFIX + operation)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("the local user pool did not answer " + operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        JsonNode answer = Json.tree(response.body());
        if (response.statusCode() != 200) {
            throw new Refused(answer.path("__type").asText("InternalErrorException"), answer.path("message").asText(""));
        }
        return answer;
    }
}
