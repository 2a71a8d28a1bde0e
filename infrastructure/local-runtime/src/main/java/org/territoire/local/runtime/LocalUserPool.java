package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import org.territoire.local.aws.UserPools;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;

/**
 * The user pool's public API as a client (the web client, the CLI, a script) calls it, for the
 * local platform: Cognito's JSON protocol ({@code X-Amz-Target: AWSCognitoIdentityProviderService.*})
 * for SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth and UpdateUserAttributes.
 *
 * <p>Measured (docs/decisions.md): moto 5.2.5's cognito-idp keeps the users, passwords, groups and
 * attributes, and its admin API is what the accounts function calls; but it accepts any
 * confirmation code, lets a user write any attribute (its {@code custom:district} too) whatever the
 * client's WriteAttributes, and signs its tokens with a key bundled in moto's source, under an issuer
 * the rest of the local platform does not trust. So this front does what Cognito does and moto does
 * not: it refuses attributes outside the client's WriteAttributes, auth flows outside its
 * ExplicitAuthFlows and a sign-up when the pool allows none; it emails (to a local outbox file) a
 * code it checks itself, kept hashed; and it answers the ID token minted by the local issuer, with
 * the user's current groups and only the client's ReadAttributes, which the HTTP API's authorizer
 * checks against the issuer's JWKS as API Gateway does. Passwords and refresh tokens are moto's.
 */
public final class LocalUserPool implements AutoCloseable {
    static final String TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
    static final Duration CODE_VALIDITY = Duration.ofHours(24);
    static final Duration ID_TOKEN_VALIDITY = Duration.ofMinutes(60);

    private record Code(String hash, Instant expires) {
    }

    private final HttpServer server;
    private final UserPools.Pool pool;
    private final LocalIssuer issuer;
    private final CognitoIdentityProviderClient moto;
    private final Path outbox;
    private final Clock clock;
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public LocalUserPool(UserPools.Pool pool, LocalIssuer issuer, Path outbox, int port) {
        this.pool = pool;
        this.issuer = issuer;
        this.outbox = outbox;
        this.clock = Clock.systemUTC();
        this.moto = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local user pool on port " + port, e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "local-user-pool");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String clientId() {
        return pool.clientId();
    }

    public String poolId() {
        return pool.poolId();
    }

    /** Where the codes a real pool would email are written, one line each. */
    public Path outbox() {
        return outbox;
    }

    /** A refusal in Cognito's own shape: its error type and message. */
    static final class Refusal extends RuntimeException {
        final String type;

        Refusal(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            byte[] answer;
            int status = 200;
            String type = null;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || !target.startsWith(TARGET_PREFIX)) {
                    throw new Refusal("InvalidParameterException", "POST Cognito's JSON protocol with an X-Amz-Target");
                }
                JsonNode request = Json.tree(new String(exchange.getRequestBody().readNBytes(64 * 1024), StandardCharsets.UTF_8));
                answer = Json.write(handle(target.substring(TARGET_PREFIX.length()), request)).getBytes(StandardCharsets.UTF_8);
            } catch (Refusal r) {
                status = 400;
                type = r.type;
                answer = Json.write(Map.of("__type", r.type, "message", r.getMessage())).getBytes(StandardCharsets.UTF_8);
            } catch (CognitoIdentityProviderException e) {
                status = e.statusCode() >= 500 ? 500 : 400;
                type = e.awsErrorDetails() == null ? "InternalErrorException" : e.awsErrorDetails().errorCode();
                String message = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorMessage();
                answer = Json.write(Map.of("__type", type, "message", message == null ? "" : message)).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                status = 400;
                type = "InvalidParameterException";
                answer = Json.write(Map.of("__type", type, "message", "the body is not JSON")).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            if (type != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    Object handle(String operation, JsonNode request) {
        if (!pool.clientId().equals(request.path("ClientId").asText(pool.clientId()))) {
            throw new Refusal("ResourceNotFoundException", "User pool client " + request.path("ClientId").asText() + " does not exist.");
        }
        return switch (operation) {
            case "SignUp" -> signUp(request);
            case "ConfirmSignUp" -> confirm(request);
            case "ResendConfirmationCode" -> resend(request);
            case "InitiateAuth" -> initiateAuth(request);
            case "UpdateUserAttributes" -> updateAttributes(request);
            default -> throw new Refusal("InvalidParameterException", operation
                    + " is not served by the local user pool (admin operations need IAM credentials: the functions call the local endpoint)");
        };
    }

    private List<AttributeType> writable(JsonNode attributes) {
        List<AttributeType> out = new ArrayList<>();
        for (JsonNode a : attributes) {
            String name = a.path("Name").asText();
            // https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes
            if (!pool.writeAttributes().contains(name)) {
                throw new Refusal("NotAuthorizedException", "A client attempted to write unauthorized attribute");
            }
            out.add(AttributeType.builder().name(name).value(a.path("Value").asText()).build());
        }
        return out;
    }

    private Object signUp(JsonNode r) {
        if (!pool.selfSignUp()) {
            throw new Refusal("NotAuthorizedException", "SignUp is not permitted for this user pool");
        }
        String username = r.path("Username").asText().strip().toLowerCase(Locale.ROOT);
        String password = r.path("Password").asText();
        List<AttributeType> attributes = writable(r.path("UserAttributes"));
        checkPassword(password);
        var answer = moto.signUp(s -> s.clientId(pool.clientId()).username(username).password(password).userAttributes(attributes));
        sendCode(username);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("UserConfirmed", false);
        out.put("UserSub", answer.userSub());
        out.putObject("CodeDeliveryDetails").put("Destination", mask(username)).put("DeliveryMedium", "EMAIL").put("AttributeName", "email");
        return out;
    }

    /** The template's password policy (MinimumLength 12, lower, upper, digits), which moto does not apply to SignUp. */
    private static void checkPassword(String password) {
        if (password.length() < 12 || !password.matches(".*[a-z].*") || !password.matches(".*[A-Z].*") || !password.matches(".*[0-9].*")) {
            throw new Refusal("InvalidPasswordException",
                    "Password did not conform with policy: at least 12 characters, with lower and upper case letters and numbers");
        }
    }

    private void sendCode(String username) {
        String code = String.format("%06d", random.nextInt(1_000_000));
        codes.put(username, new Code(Hashes.sha256Hex(username + ":" + code), clock.instant().plus(CODE_VALIDITY)));
        try {
            Files.createDirectories(outbox.getParent());
            Files.writeString(outbox, clock.instant() + " to " + username + ": your Territoire confirmation code is " + code + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object confirm(JsonNode r) {
        String username = r.path("Username").asText().strip().toLowerCase(Locale.ROOT);
        String code = r.path("ConfirmationCode").asText();
        Code expected = codes.get(username);
        if (expected == null || !expected.hash().equals(Hashes.sha256Hex(username + ":" + code))) {
            throw new Refusal("CodeMismatchException", "Invalid verification code provided, please try again.");
        }
        if (!expected.expires().isAfter(clock.instant())) {
            throw new Refusal("ExpiredCodeException", "Invalid code provided, please request a code again.");
        }
        // One use: removed as it is redeemed, so two concurrent confirmations redeem it once.
        if (!codes.remove(username, expected)) {
            throw new Refusal("CodeMismatchException", "Invalid verification code provided, please try again.");
        }
        moto.confirmSignUp(c -> c.clientId(pool.clientId()).username(username).confirmationCode(code));
        moto.adminUpdateUserAttributes(u -> u.userPoolId(pool.poolId()).username(username)
                .userAttributes(AttributeType.builder().name("email_verified").value("true").build()));
        return Map.of();
    }

    private Object resend(JsonNode r) {
        String username = r.path("Username").asText().strip().toLowerCase(Locale.ROOT);
        var user = moto.adminGetUser(g -> g.userPoolId(pool.poolId()).username(username));
        if (!"UNCONFIRMED".equals(user.userStatusAsString())) {
            throw new Refusal("InvalidParameterException", "User is already confirmed.");
        }
        sendCode(username);
        return Map.of("CodeDeliveryDetails", Map.of("Destination", mask(username), "DeliveryMedium", "EMAIL", "AttributeName", "email"));
    }

    private Object initiateAuth(JsonNode r) {
        String flow = r.path("AuthFlow").asText();
        if (!pool.authFlows().contains("ALLOW_" + flow)) {
            throw new Refusal("InvalidParameterException", "Auth flow not enabled for this client");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        r.path("AuthParameters").properties().forEach(e -> parameters.put(e.getKey(), e.getValue().asText()));
        var answer = moto.initiateAuth(a -> a.clientId(pool.clientId()).authFlow(AuthFlowType.fromValue(flow)).authParameters(parameters));
        if (answer.authenticationResult() == null) {
            throw new Refusal("InvalidParameterException", "this challenge is not served by the local user pool");
        }
        var result = answer.authenticationResult();
        String sub;
        try {
            sub = SignedJWT.parse(result.idToken()).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("moto answered an ID token that is not a JWT", e);
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode auth = out.putObject("AuthenticationResult");
        auth.put("IdToken", idToken(sub));
        auth.put("AccessToken", result.accessToken());
        if (result.refreshToken() != null) {
            auth.put("RefreshToken", result.refreshToken());
        }
        auth.put("ExpiresIn", (int) ID_TOKEN_VALIDITY.toSeconds());
        auth.put("TokenType", "Bearer");
        return out;
    }

    /** The ID token as the pool would issue it now: the user's groups, and its attributes the client may read. */
    String idToken(String sub) {
        return idToken(sub, ID_TOKEN_VALIDITY);
    }

    /** The same, valid for {@code ttl}: the local login page's token endpoint issues it with its own (configurable) lifetime. */
    String idToken(String sub, Duration ttl) {
        var user = moto.adminGetUser(g -> g.userPoolId(pool.poolId()).username(sub));
        Map<String, String> attributes = new LinkedHashMap<>();
        user.userAttributes().forEach(a -> attributes.put(a.name(), a.value()));
        List<String> groups = moto.adminListGroupsForUser(g -> g.userPoolId(pool.poolId()).username(sub)).groups().stream()
                .map(g -> g.groupName()).sorted().toList();
        Optional<String> district = readable(attributes, "custom:district");
        Optional<String> organisation = readable(attributes, "custom:organisation");
        Map<String, Object> extra = new LinkedHashMap<>();
        readable(attributes, "email").ifPresent(e -> extra.put("email", e));
        extra.put("email_verified", "true".equals(attributes.get("email_verified")));
        return issuer.mint(new LocalIssuer.User(sub, new ArrayList<>(groups), district, organisation), ttl, extra);
    }

    private Optional<String> readable(Map<String, String> attributes, String name) {
        return pool.readAttributes().contains(name) ? Optional.ofNullable(attributes.get(name)) : Optional.empty();
    }

    private Object updateAttributes(JsonNode r) {
        List<AttributeType> attributes = writable(r.path("UserAttributes"));
        String accessToken = r.path("AccessToken").asText();
        moto.updateUserAttributes(u -> u.accessToken(accessToken).userAttributes(attributes));
        return Map.of();
    }

    private static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }

    @Override
    public void close() {
        server.stop(0);
        moto.close();
    }
}
