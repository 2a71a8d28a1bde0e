package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * Serves the built web client (web/dist) and stands in for Cognito's managed login: the
 * authorization-code flow with PKCE on {@code /oauth2/authorize} and {@code /oauth2/token},
 * the paths of a Cognito user pool domain
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html). Its login
 * page lists the demo users instead of asking for a password. It refuses what Cognito
 * refuses: another client id or callback URL, a missing S256 challenge, a code used twice,
 * expired, or redeemed with the wrong verifier.
 *
 * <p>It answers {@code /config.json} itself: the territory settings of web/dist/config.json
 * with this platform's API URL and sign-in endpoints, as the deploy writes them in AWS.
 */
public final class WebClientServer implements AutoCloseable {
    /** Cognito's authorization codes are valid for 5 minutes. */
    static final Duration CODE_TTL = Duration.ofMinutes(5);
    /** The template's IdTokenValidity; the journeys shorten it (TERRITOIRE_LOCAL_TOKEN_TTL) to see tokens expire. */
    static final Duration TOKEN_TTL = Duration.ofHours(1);
    /** Cognito's default RefreshTokenValidity, 30 days (the template sets none). */
    static final Duration REFRESH_TTL = Duration.ofDays(30);
    /** `npm run dev` (Vite on its fixed port) is a second callback URL, as an app client may list several. */
    static final String DEV_CALLBACK = "http://127.0.0.1:5173/";
    private static final Pattern PKCE_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern PKCE_VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "json", "application/json", "svg", "image/svg+xml", "png", "image/png",
            "webmanifest", "application/manifest+json", "ico", "image/x-icon", "txt", "text/plain; charset=utf-8");

    /** A demo account shown on the local login page. */
    public record DemoUser(String label, LocalIssuer.User user) {
    }

    /** The demo data's people: residents of two districts, an agent of the mairie, and an account with no role yet. */
    public static final List<DemoUser> DEMO_USERS = List.of(
            new DemoUser("Résidente du centre (resident-demo)", LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre")),
            new DemoUser("Alice, résidente du centre, nouvelle venue (alice)", LocalIssuer.User.of("alice", "resident").inDistrict("centre")),
            new DemoUser("Léa, résidente de la gare (lea)", LocalIssuer.User.of("lea", "resident").inDistrict("gare")),
            new DemoUser("Agent de la mairie (agent-demo)", LocalIssuer.User.of("agent-demo", "agent").ofOrganisation("mairie")),
            new DemoUser("Compte sans rôle (stranger)", LocalIssuer.User.of("stranger")));

    /**
     * Whom a code or a refresh token stands for: a demo user, minted as listed, or an account of the local user pool,
     * whose groups and readable attributes are read again at every issue (a role granted reaches the next refresh).
     */
    private interface Principal {
        String idToken(Duration ttl);
    }

    private record Grant(Principal principal, String clientId, String redirectUri, String challenge, Instant expires) {
    }

    private record Refresh(Principal principal, String clientId, Instant expires) {
    }

    /** Managed login's own session (its cookie): a sign-in within it gets a code without the login page. */
    private record LoginSession(Principal principal, Instant expires) {
    }

    /**
     * Managed login keeps a signed-in browser's session in a cookie on its domain for an hour, so an authorization
     * request within it is answered with a code at once, until the browser goes through {@code /logout}
     * (https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login.html, "session cookie").
     */
    static final Duration SESSION_TTL = Duration.ofHours(1);
    static final String SESSION_COOKIE = "cognito-local-session";

    private final Path dist;
    private final URI apiUrl;
    private final LocalIssuer issuer;
    private final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    /** Refresh tokens by their SHA-256: the server keeps no token in clear, as no secret is kept in clear. */
    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    /** Login sessions by the SHA-256 of their cookie, for the same reason. */
    private final Map<String, LoginSession> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** The local user pool's public API, as Cognito's managed login calls its pool's; null without a user pool. */
    private final UserPoolApi pool;
    private final Duration tokenTtl;

    public WebClientServer(Path dist, URI apiUrl, LocalIssuer issuer, int port) throws IOException {
        this(dist, apiUrl, issuer, null, port, Clock.systemUTC(), TOKEN_TTL);
    }

    /** With the local user pool: its accounts sign up and sign in on the login page, through its own API. */
    public WebClientServer(Path dist, URI apiUrl, LocalIssuer issuer, LocalUserPool userPool, int port, Duration tokenTtl) throws IOException {
        this(dist, apiUrl, issuer, userPool, port, Clock.systemUTC(), tokenTtl);
    }

    WebClientServer(Path dist, URI apiUrl, LocalIssuer issuer, int port, Clock clock) throws IOException {
        this(dist, apiUrl, issuer, null, port, clock, TOKEN_TTL);
    }

    WebClientServer(Path dist, URI apiUrl, LocalIssuer issuer, LocalUserPool userPool, int port, Clock clock, Duration tokenTtl)
            throws IOException {
        this.dist = dist.toAbsolutePath().normalize();
        this.apiUrl = apiUrl;
        this.issuer = issuer;
        this.clock = clock;
        this.tokenTtl = tokenTtl;
        this.pool = userPool == null ? null : new UserPoolApi(userPool);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The callback URL of the client this server serves (the first of the app client's CallbackURLs). */
    String redirectUri() {
        return url() + "/";
    }

    private boolean isCallback(String uri) {
        return redirectUri().equals(uri) || DEV_CALLBACK.equals(uri);
    }

    private void serve(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            switch (path) {
                case "/config.json" -> config(exchange);
                case "/oauth2/authorize" -> {
                    if ("GET".equals(method)) {
                        authorizePage(exchange, query(exchange.getRequestURI().getRawQuery()));
                    } else if ("POST".equals(method)) {
                        authorizeChoice(exchange, query(body(exchange)));
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
                case "/oauth2/token" -> {
                    if ("POST".equals(method)) {
                        token(exchange, query(body(exchange)));
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
                case "/logout" -> {
                    if ("GET".equals(method)) {
                        logout(exchange, query(exchange.getRequestURI().getRawQuery()));
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
                case "/oauth2/revoke" -> {
                    if ("POST".equals(method)) {
                        revoke(exchange, query(body(exchange)));
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
                case "/login", "/signup", "/confirmUser" -> {
                    if (pool == null) {
                        text(exchange, 404, "Not Found");
                    } else if ("GET".equals(method) && "/signup".equals(path)) {
                        signUpPage(exchange, query(exchange.getRequestURI().getRawQuery()), null);
                    } else if ("POST".equals(method)) {
                        Map<String, String> q = query(body(exchange));
                        switch (path) {
                            case "/login" -> passwordLogin(exchange, q);
                            case "/signup" -> signUp(exchange, q);
                            default -> confirmUser(exchange, q);
                        }
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
                default -> {
                    if ("GET".equals(method) || "HEAD".equals(method)) {
                        file(exchange, path);
                    } else {
                        text(exchange, 405, "Method Not Allowed");
                    }
                }
            }
        } catch (RuntimeException e) {
            System.err.println("[web-client] failure: " + e);
            text(exchange, 500, "Internal Server Error");
        } finally {
            exchange.close();
        }
    }

    private void config(HttpExchange exchange) throws IOException {
        Path base = dist.resolve("config.json");
        ObjectNode config = Files.exists(base) ? (ObjectNode) Json.MAPPER.readTree(Files.readString(base)) : Json.MAPPER.createObjectNode();
        config.put("apiUrl", apiUrl.toString());
        ObjectNode auth = config.putObject("auth");
        auth.put("authorizeUrl", url() + "/oauth2/authorize");
        auth.put("tokenUrl", url() + "/oauth2/token");
        auth.put("clientId", LocalIssuer.AUDIENCE);
        auth.put("redirectUri", redirectUri());
        auth.put("local", true);
        send(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(config), Map.of("cache-control", "no-store"));
    }

    /** Checks what Cognito checks before it shows its login page; empty when the request may proceed. */
    private Optional<String> refusal(Map<String, String> q) {
        if (!LocalIssuer.AUDIENCE.equals(q.get("client_id"))) {
            return Optional.of("unknown client_id");
        }
        if (!isCallback(q.get("redirect_uri"))) {
            return Optional.of("redirect_uri is not a callback URL of this client");
        }
        if (!"code".equals(q.get("response_type"))) {
            return Optional.of("response_type must be code");
        }
        if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || !PKCE_CHALLENGE.matcher(q.get("code_challenge")).matches()) {
            return Optional.of("a PKCE code_challenge with code_challenge_method S256 is required");
        }
        return Optional.empty();
    }

    private static final List<String> OAUTH_FIELDS = List.of("client_id", "redirect_uri", "response_type", "state", "code_challenge",
            "code_challenge_method", "scope");

    /** The authorization request, carried through every form of the login pages as Cognito's managed login carries it. */
    private static String hidden(Map<String, String> q) {
        StringBuilder out = new StringBuilder();
        for (String field : OAUTH_FIELDS) {
            if (q.containsKey(field)) {
                out.append("<input type=\"hidden\" name=\"").append(field).append("\" value=\"").append(escape(q.get(field))).append("\">");
            }
        }
        return out.toString();
    }

    private static String oauthQuery(Map<String, String> q) {
        StringBuilder out = new StringBuilder();
        for (String field : OAUTH_FIELDS) {
            if (q.containsKey(field)) {
                out.append(out.isEmpty() ? "?" : "&").append(field).append('=').append(URLEncoder.encode(q.get(field), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    private static String alert(String message) {
        return message == null ? "" : "<p role=\"alert\" class=\"error\">" + escape(message) + "</p>";
    }

    private void authorizePage(HttpExchange exchange, Map<String, String> q) throws IOException {
        Optional<LoginSession> session = session(exchange);
        if (refusal(q).isEmpty() && session.isPresent()) {
            // Signed in on this browser within the hour: no login page, a code at once, as managed login answers.
            codeToCallback(exchange, q, session.get().principal());
            return;
        }
        authorizePage(exchange, q, 200, null, "");
    }

    private Optional<LoginSession> session(HttpExchange exchange) {
        return cookie(exchange, SESSION_COOKIE).map(Hashes::sha256Hex).map(sessions::get)
                .filter(s -> clock.instant().isBefore(s.expires()));
    }

    static Optional<String> cookie(HttpExchange exchange, String name) {
        for (String header : exchange.getRequestHeaders().getOrDefault("cookie", List.of())) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).strip().equals(name)) {
                    return Optional.of(pair.substring(eq + 1).strip()).filter(v -> !v.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Cognito's sign-out endpoint, {@code GET /logout?client_id=...&logout_uri=...}
     * (https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html): it ends managed login's
     * session in this browser (the next authorization request shows the login page again) and redirects to
     * {@code logout_uri} only if that is one of the client's allowed sign-out URLs (the template's LogoutURLs: the
     * client's own URL, and here the Vite dev server's), as it refuses another client or any other URL. The other
     * form, {@code redirect_uri} with a new authorization request, is not used by the client and is refused here.
     */
    private void logout(HttpExchange exchange, Map<String, String> q) throws IOException {
        if (!LocalIssuer.AUDIENCE.equals(q.get("client_id"))) {
            page(exchange, 400, "Déconnexion refusée", "<p>unknown client_id</p>");
            return;
        }
        String logoutUri = q.get("logout_uri");
        if (logoutUri == null || !isCallback(logoutUri)) {
            page(exchange, 400, "Déconnexion refusée", "<p>logout_uri is not a sign-out URL of this client</p>");
            return;
        }
        cookie(exchange, SESSION_COOKIE).ifPresent(c -> sessions.remove(Hashes.sha256Hex(c)));
        exchange.getResponseHeaders().add("set-cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
        exchange.getResponseHeaders().set("location", logoutUri);
        send(exchange, 302, "text/plain; charset=utf-8", new byte[0], Map.of("cache-control", "no-store"));
    }

    private void authorizePage(HttpExchange exchange, Map<String, String> q, int status, String error, String email) throws IOException {
        Optional<String> refused = refusal(q);
        if (refused.isPresent()) {
            page(exchange, 400, "Demande de connexion refusée", "<p>" + escape(refused.get()) + "</p>");
            return;
        }
        StringBuilder form = new StringBuilder(alert(error));
        form.append("<p>Plateforme locale : choisissez un compte de démonstration. En production, c'est la page de connexion"
                + " du groupe d'utilisateurs Cognito.</p><form method=\"post\" action=\"/oauth2/authorize\">").append(hidden(q));
        form.append("<fieldset><legend>Comptes de démonstration</legend><ul>");
        for (DemoUser demo : DEMO_USERS) {
            form.append("<li><button type=\"submit\" name=\"user\" value=\"").append(escape(demo.user().sub())).append("\">")
                    .append("Se connecter : ").append(escape(demo.label())).append("</button></li>");
        }
        form.append("</ul></fieldset></form>");
        if (pool != null) {
            form.append("<h2>Avec votre compte</h2><form method=\"post\" action=\"/login\">").append(hidden(q))
                    .append("<label for=\"email\">Adresse e-mail</label><input id=\"email\" name=\"email\" type=\"email\" required"
                            + " autocomplete=\"username\" value=\"").append(escape(email)).append("\">")
                    .append("<label for=\"password\">Mot de passe</label><input id=\"password\" name=\"password\" type=\"password\""
                            + " required autocomplete=\"current-password\">")
                    .append("<button type=\"submit\">Se connecter avec mon compte</button></form>")
                    .append("<p>Pas encore de compte ? <a href=\"/signup").append(escape(oauthQuery(q))).append("\">Créer un compte</a></p>");
        }
        page(exchange, status, "Connexion à Territoire (locale)", form.toString());
    }

    private void authorizeChoice(HttpExchange exchange, Map<String, String> q) throws IOException {
        Optional<String> refused = refusal(q);
        Optional<DemoUser> demo = DEMO_USERS.stream().filter(d -> d.user().sub().equals(q.get("user"))).findFirst();
        if (refused.isPresent() || demo.isEmpty()) {
            page(exchange, 400, "Demande de connexion refusée", "<p>" + escape(refused.orElse("unknown user")) + "</p>");
            return;
        }
        LocalIssuer.User user = demo.get().user();
        redirectWithCode(exchange, q, ttl -> issuer.mint(user, ttl));
    }

    /** The end of every sign-in: a one-time code for the principal, and back to the client's callback with it and the state. */
    private void redirectWithCode(HttpExchange exchange, Map<String, String> q, Principal principal) throws IOException {
        // A sign-in on the login page starts managed login's session in this browser (replacing any earlier one).
        cookie(exchange, SESSION_COOKIE).ifPresent(c -> sessions.remove(Hashes.sha256Hex(c)));
        String cookie = newToken();
        sessions.put(Hashes.sha256Hex(cookie), new LoginSession(principal, clock.instant().plus(SESSION_TTL)));
        exchange.getResponseHeaders().add("set-cookie", SESSION_COOKIE + "=" + cookie + "; Path=/; Max-Age="
                + SESSION_TTL.toSeconds() + "; HttpOnly; SameSite=Lax");
        codeToCallback(exchange, q, principal);
    }

    /** A one-time code for the principal, and back to the client's callback with it and the state. */
    private void codeToCallback(HttpExchange exchange, Map<String, String> q, Principal principal) throws IOException {
        String code = newToken();
        codes.put(code, new Grant(principal, q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge"), clock.instant().plus(CODE_TTL)));
        String location = q.get("redirect_uri") + "?code=" + code
                + (q.containsKey("state") ? "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8) : "");
        exchange.getResponseHeaders().set("location", location);
        send(exchange, 302, "text/plain; charset=utf-8", new byte[0], Map.of("cache-control", "no-store"));
    }

    private String newToken() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** An account of the local user pool: its ID token is the pool's, with its groups and readable attributes of now. */
    private Principal poolAccount(String sub) {
        return ttl -> pool.userPool().idToken(sub, ttl);
    }

    /** Managed login's sign-in with email and password: the pool's InitiateAuth (USER_PASSWORD_AUTH), nothing less. */
    private void passwordLogin(HttpExchange exchange, Map<String, String> q) throws IOException {
        if (refusal(q).isPresent()) {
            authorizePage(exchange, q);
            return;
        }
        String email = q.getOrDefault("email", "").strip();
        try {
            redirectWithCode(exchange, q, poolAccount(pool.signIn(email, q.getOrDefault("password", ""))));
        } catch (UserPoolApi.Refused r) {
            if ("UserNotConfirmedException".equals(r.type)) {
                confirmPage(exchange, q, 400, email, "Ce compte n'est pas encore confirmé : saisissez le code reçu par e-mail.");
            } else {
                authorizePage(exchange, q, 400, r.type.equals("NotAuthorizedException") || r.type.equals("UserNotFoundException")
                        ? "Adresse e-mail ou mot de passe incorrect." : "Connexion impossible : " + r.getMessage(), email);
            }
        }
    }

    private void signUpPage(HttpExchange exchange, Map<String, String> q, String error) throws IOException {
        signUpPage(exchange, q, error == null ? 200 : 400, error, "");
    }

    private void signUpPage(HttpExchange exchange, Map<String, String> q, int status, String error, String email) throws IOException {
        Optional<String> refused = refusal(q);
        if (refused.isPresent()) {
            page(exchange, 400, "Demande de connexion refusée", "<p>" + escape(refused.get()) + "</p>");
            return;
        }
        // The app client's WriteAttributes are what a self sign-up may give (template: [email]); the district is not
        // one of them: the accounts function sets it when a residency verification succeeds.
        // https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html#user-pool-settings-attribute-permissions-and-scopes
        String body = alert(error) + "<form method=\"post\" action=\"/signup\">" + hidden(q)
                + "<label for=\"email\">Adresse e-mail</label><input id=\"email\" name=\"email\" type=\"email\" required"
                + " autocomplete=\"email\" value=\"" + escape(email) + "\">"
                + "<label for=\"password\">Mot de passe</label><input id=\"password\" name=\"password\" type=\"password\" required"
                + " autocomplete=\"new-password\" minlength=\"12\" aria-describedby=\"password-rule\">"
                + "<p id=\"password-rule\" class=\"hint\">Au moins 12 caractères, avec des minuscules, des majuscules et des chiffres.</p>"
                + "<p class=\"hint\">Votre quartier n'est pas demandé ici : il est établi par la vérification de résidence,"
                + " une fois connecté (page « Mon compte »).</p>"
                + "<button type=\"submit\">Créer mon compte</button></form>"
                + "<p><a href=\"/oauth2/authorize" + escape(oauthQuery(q)) + "\">J'ai déjà un compte</a></p>";
        page(exchange, status, "Créer un compte Territoire (local)", body);
    }

    private void signUp(HttpExchange exchange, Map<String, String> q) throws IOException {
        if (refusal(q).isPresent()) {
            signUpPage(exchange, q, null);
            return;
        }
        String email = q.getOrDefault("email", "").strip();
        try {
            pool.signUp(email, q.getOrDefault("password", ""));
        } catch (UserPoolApi.Refused r) {
            signUpPage(exchange, q, 400, switch (r.type) {
                case "UsernameExistsException" -> "Un compte existe déjà avec cette adresse : connectez-vous.";
                case "InvalidPasswordException" -> "Mot de passe trop faible : au moins 12 caractères, avec des minuscules,"
                        + " des majuscules et des chiffres.";
                case "InvalidParameterException" -> "Adresse e-mail ou mot de passe invalide.";
                default -> "Inscription impossible : " + r.getMessage();
            }, email);
            return;
        }
        confirmPage(exchange, q, 200, email, null);
    }

    private void confirmPage(HttpExchange exchange, Map<String, String> q, int status, String email, String error) throws IOException {
        // Locally no email leaves the machine: the pool writes the code to its outbox, which the page names.
        String body = alert(error) + "<p>Un code de confirmation a été envoyé à " + escape(email) + ".</p>"
                + "<p class=\"local\">Plateforme locale : aucun e-mail n'est envoyé ; le code est écrit dans le fichier <code>"
                + escape(pool.userPool().outbox().toString()) + "</code>.</p>"
                + "<form method=\"post\" action=\"/confirmUser\">" + hidden(q)
                + "<input type=\"hidden\" name=\"email\" value=\"" + escape(email) + "\">"
                + "<label for=\"code\">Code de confirmation</label><input id=\"code\" name=\"code\" required inputmode=\"numeric\""
                + " autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\">"
                + "<label for=\"password\">Mot de passe (pour vous connecter)</label><input id=\"password\" name=\"password\""
                + " type=\"password\" required autocomplete=\"current-password\">"
                + "<button type=\"submit\" name=\"action\" value=\"confirm\">Confirmer et me connecter</button>"
                + "<button type=\"submit\" name=\"action\" value=\"resend\" formnovalidate class=\"secondary\">Renvoyer un code</button>"
                + "</form>";
        page(exchange, status, "Confirmer votre compte", body);
    }

    /** Managed login's confirmation: the pool's ConfirmSignUp with the emailed code, then a sign-in with the password. */
    private void confirmUser(HttpExchange exchange, Map<String, String> q) throws IOException {
        if (refusal(q).isPresent()) {
            authorizePage(exchange, q);
            return;
        }
        String email = q.getOrDefault("email", "").strip();
        try {
            if ("resend".equals(q.get("action"))) {
                pool.resend(email);
                confirmPage(exchange, q, 200, email, null);
                return;
            }
            pool.confirm(email, q.getOrDefault("code", "").strip());
        } catch (UserPoolApi.Refused r) {
            confirmPage(exchange, q, 400, email, switch (r.type) {
                case "CodeMismatchException" -> "Code incorrect : vérifiez-le et réessayez.";
                case "ExpiredCodeException" -> "Ce code a expiré : demandez-en un nouveau.";
                default -> "Confirmation impossible : " + r.getMessage();
            });
            return;
        }
        try {
            redirectWithCode(exchange, q, poolAccount(pool.signIn(email, q.getOrDefault("password", ""))));
        } catch (UserPoolApi.Refused r) {
            authorizePage(exchange, q, 400, "Votre compte est confirmé, mais le mot de passe ne correspond pas : connectez-vous.", email);
        }
    }

    private void token(HttpExchange exchange, Map<String, String> q) throws IOException {
        // The dev server's page reads the answer cross-origin, as Cognito's token endpoint allows its callbacks' origins.
        allowDevOrigin(exchange);
        String grantType = q.getOrDefault("grant_type", "");
        if ("refresh_token".equals(grantType)) {
            refresh(exchange, q);
            return;
        }
        if (!"authorization_code".equals(grantType)) {
            oauthError(exchange, "unsupported_grant_type");
            return;
        }
        // remove: a code is redeemed once, even by two concurrent requests.
        Grant grant = q.get("code") == null ? null : codes.remove(q.get("code"));
        String verifier = q.get("code_verifier");
        if (grant == null || clock.instant().isAfter(grant.expires()) || !grant.clientId().equals(q.get("client_id"))
                || !grant.redirectUri().equals(q.get("redirect_uri")) || verifier == null || !PKCE_VERIFIER.matcher(verifier).matches()
                || !MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII), grant.challenge().getBytes(StandardCharsets.US_ASCII))) {
            oauthError(exchange, "invalid_grant");
            return;
        }
        String refreshToken = newToken();
        refreshTokens.put(Hashes.sha256Hex(refreshToken), new Refresh(grant.principal(), grant.clientId(), clock.instant().plus(REFRESH_TTL)));
        tokens(exchange, grant.principal().idToken(tokenTtl), refreshToken);
    }

    /**
     * grant_type=refresh_token as Cognito answers it: new ID token, the same refresh token kept (refresh token rotation
     * is off by default, so none is returned); an unknown, revoked or expired one, or another client's, is invalid_grant.
     * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
     */
    private void refresh(HttpExchange exchange, Map<String, String> q) throws IOException {
        String token = q.get("refresh_token");
        Refresh refresh = token == null ? null : refreshTokens.get(Hashes.sha256Hex(token));
        if (refresh == null || !refresh.clientId().equals(q.get("client_id")) || !clock.instant().isBefore(refresh.expires())) {
            oauthError(exchange, "invalid_grant");
            return;
        }
        String idToken;
        try {
            idToken = refresh.principal().idToken(tokenTtl);
        } catch (UserNotFoundException e) {
            // The account was deleted (DELETE /me): its refresh tokens end with it.
            refreshTokens.remove(Hashes.sha256Hex(token));
            oauthError(exchange, "invalid_grant");
            return;
        }
        tokens(exchange, idToken, null);
    }

    private void tokens(HttpExchange exchange, String idToken, String refreshToken) throws IOException {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        // The API takes Cognito's ID token as its bearer token (README), so that is what the client needs.
        answer.put("id_token", idToken);
        if (refreshToken != null) {
            answer.put("refresh_token", refreshToken);
        }
        answer.put("token_type", "Bearer");
        answer.put("expires_in", tokenTtl.toSeconds());
        send(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(answer), Map.of("cache-control", "no-store", "pragma", "no-cache"));
    }

    /**
     * Cognito's /oauth2/revoke: the refresh token can no longer be used (nor, in Cognito, the tokens it issued to
     * Cognito's own APIs; API Gateway's JWT authorizer does not ask, so an ID token stays valid until it expires). A token
     * that is unknown is answered 200 as RFC 7009 section 2.2 says; another client's is invalid_client.
     * https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
     */
    private void revoke(HttpExchange exchange, Map<String, String> q) throws IOException {
        allowDevOrigin(exchange);
        String token = q.get("token");
        if (token == null || token.isEmpty() || q.get("client_id") == null) {
            oauthError(exchange, "invalid_request");
            return;
        }
        String key = Hashes.sha256Hex(token);
        Refresh refresh = refreshTokens.get(key);
        if (refresh != null && !refresh.clientId().equals(q.get("client_id"))) {
            oauthError(exchange, "invalid_client");
            return;
        }
        refreshTokens.remove(key);
        send(exchange, 200, "application/json", new byte[0], Map.of("cache-control", "no-store"));
    }

    private void allowDevOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && DEV_CALLBACK.equals(origin + "/")) {
            exchange.getResponseHeaders().set("access-control-allow-origin", origin);
        }
    }

    private void oauthError(HttpExchange exchange, String error) throws IOException {
        send(exchange, 400, "application/json", ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8), Map.of("cache-control", "no-store"));
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void file(HttpExchange exchange, String rawPath) throws IOException {
        String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
        Path target = dist.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
        if (!target.startsWith(dist) || !Files.isRegularFile(target)) {
            if (!Files.exists(dist.resolve("index.html"))) {
                page(exchange, 503, "Client web non construit", "<p>Build it with <code>npm --prefix web run build</code>.</p>");
            } else {
                text(exchange, 404, "Not Found");
            }
            return;
        }
        String name = target.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        // Vite puts a content hash in every asset's name: those never change, the shell is revalidated.
        String cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
        byte[] bytes = "HEAD".equals(exchange.getRequestMethod()) ? new byte[0] : Files.readAllBytes(target);
        Map<String, String> headers = new LinkedHashMap<>(Map.of("cache-control", cache));
        if (compressible(type)) {
            headers.put("vary", "accept-encoding");
            if (bytes.length >= 1000 && acceptsGzip(exchange.getRequestHeaders().getFirst("accept-encoding"))) {
                bytes = gzip(bytes);
                headers.put("content-encoding", "gzip");
            }
        }
        send(exchange, 200, type, bytes, headers);
    }

    /**
     * What the distribution's {@code Compress: true} compresses: text types of 1,000 bytes or more, for a viewer that
     * asks for gzip (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html),
     * so that the client measured here (docs/benchmarks.md, "Lighthouse") downloads what a phone downloads from CloudFront.
     */
    private static boolean compressible(String type) {
        return type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("application/manifest+json")
                || type.startsWith("image/svg+xml");
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] coding = part.strip().split(";");
            if (coding[0].strip().equalsIgnoreCase("gzip")) {
                return !(coding.length > 1 && coding[1].replace(" ", "").matches("q=0(\\.0{0,3})?"));
            }
        }
        return false;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        var out = new java.io.ByteArrayOutputStream(bytes.length / 3);
        try (var gz = new java.util.zip.GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private void page(HttpExchange exchange, int status, String title, String body) throws IOException {
        String html = """
                <!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title><style>
                body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;color:#1b1b1b;line-height:1.5}
                h1{font-size:1.5rem} ul{list-style:none;padding:0} li{margin:.5rem 0} fieldset{border:1px solid #666;border-radius:.5rem}
                button{font:inherit;width:100%%;min-height:44px;padding:.5rem 1rem;border:2px solid #0b5a4a;border-radius:.4rem;
                background:#0b5a4a;color:#fff;text-align:left;cursor:pointer}
                button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #c2410c;outline-offset:3px}
                label{display:block;margin-top:1rem;font-weight:600} input{font:inherit;width:100%%;box-sizing:border-box;min-height:44px;
                padding:.4rem;border:1px solid #555;border-radius:.3rem} form button{margin-top:1rem} a{color:#0b5a4a}
                button.secondary{background:#fff;color:#0b5a4a} .hint{color:#444;font-size:.95rem}
                .error{border-left:4px solid #b42318;padding:.5rem;background:#fdecea} .local{border-left:4px solid #0b5a4a;padding:.5rem}
                </style></head><body><main><h1>%s</h1>%s</main></body></html>""".formatted(escape(title), escape(title), body);
        send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of("cache-control", "no-store"));
    }

    private void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private void send(HttpExchange exchange, int status, String type, byte[] body, Map<String, String> extra) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("content-type", type);
        // The headers the CloudFront distribution's response headers policy will add.
        // worker-src and manifest-src: the installable client's service worker (/sw.js) and manifest, from this origin only.
        // The local S3 (the AWS endpoint) as the photos bucket's origin: the browser posts photos to it and shows them from it.
        String s3 = org.territoire.shared.config.Env.get("AWS_ENDPOINT_URL").map(u -> " " + u).orElse("");
        headers.put("content-security-policy", "default-src 'self'; connect-src 'self' " + apiUrl + s3 + "; img-src 'self' data:" + s3 + ";"
                + " style-src 'self' 'unsafe-inline'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self';"
                + " frame-ancestors 'none'; form-action 'self'");
        headers.put("x-content-type-options", "nosniff");
        headers.put("referrer-policy", "no-referrer");
        headers.put("x-frame-options", "DENY");
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes(16 * 1024);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A resident's choice to share their home devices in district aggregates (PUT /me/telemetry/consent). */
    private static void shareInDistrictAggregates(LocalPlatform platform, String resident, String district) throws Exception {
        String token = platform.issuer().mint(LocalIssuer.User.of(resident, "resident").inDistrict(district));
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(platform.apiUrl().resolve("/me/telemetry/consent"))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"shareInDistrictAggregates\":true}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("consent refused: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Waits (a minute at most) until the IoT rule has delivered the devices' readings up to {@code until} to the ingest function. */
    private static void awaitIngested(LocalPlatform platform, String owner, String district, List<String> ids, Instant until) throws Exception {
        String token = platform.issuer().mint(LocalIssuer.User.of(owner, "resident").inDistrict(district));
        var http = java.net.http.HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        for (String id : ids) {
            while (true) {
                var answer = http.send(java.net.http.HttpRequest.newBuilder(platform.apiUrl().resolve("/devices/" + id + "/latest"))
                        .header("authorization", "Bearer " + token).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && !Instant.parse(Json.tree(answer.body()).path("at").asText()).isBefore(until)) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** The telemetry sweep, as its schedule runs it, until no district hour is left to compute (TelemetryWeekBenchmark does the same). */
    private static void sweepDistricts(LocalPlatform platform) throws Exception {
        var sweep = platform.aws().template().function("TelemetrySweepFunction");
        FunctionHost functions = new FunctionHost();
        for (int run = 0; run < 10; run++) {
            var result = Json.tree(new String(functions.invoke(sweep, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    java.nio.charset.StandardCharsets.UTF_8));
            if (result.path("districtHours").asInt() + result.path("districtHoursMarked").asInt() == 0) {
                return;
            }
        }
    }

    /**
     * The platform with its demo data and the web client on free ports, for the browser
     * journeys (web/e2e): prints {@code API_URL=...}, {@code AWS_ENDPOINT_URL=...} (the local AWS endpoint, where the
     * journeys publish the client to S3) and {@code WEB_CLIENT_URL=...} once ready,
     * and stops when its standard input closes, so it never outlives the test that started it. A line on its standard
     * input is a command of the test that started it ({@link LocalSweep}: a scheduled sweep run at a later clock).
     */
    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args.length > 0 ? args[0] : "web/dist");
        LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        // TERRITOIRE_LOCAL_TOKEN_TTL (seconds) shortens the tokens' lifetime, for the journey that sees one expire.
        String ttl = System.getenv("TERRITOIRE_LOCAL_TOKEN_TTL");
        WebClientServer web = new WebClientServer(dist, platform.apiUrl(), platform.issuer(), platform.userPool(), 0,
                ttl == null || ttl.isBlank() ? TOKEN_TTL : Duration.ofSeconds(Long.parseLong(ttl.strip())));
        // Calendar events link back to a booking's page in this client, as in AWS (template: WEB_CLIENT_URL).
        org.territoire.shared.config.Env.override(java.util.Map.of("WEB_CLIENT_URL", web.url().toString()));
        new DemoData(platform).load();
        // The demo resident's own meters with a day of history, for the "my home" journey (Main runs the whole fleet).
        var meters = DeviceSimulator.fleet().stream().filter(d -> "resident-demo".equals(d.ownerId())).toList();
        DeviceSimulator devices = new DeviceSimulator("127.0.0.1", platform.iot().port());
        devices.register(platform.apiUrl(), platform.issuer().mint(LocalIssuer.User.of("agent-demo", "agent").ofOrganisation("mairie")), meters);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        // The demo resident shares her meters in district aggregates before they report, and the sweep its schedule runs
        // every 15 minutes runs now, so that the agents' district figures show a day withheld (1 household, under 10).
        shareInDistrictAggregates(platform, "resident-demo", "centre");
        devices.backfill(meters, now.minus(Duration.ofHours(24)), now, Duration.ofMinutes(15));
        awaitIngested(platform, "resident-demo", "centre", meters.stream().map(DeviceSimulator.Simulated::id).toList(), now.minus(Duration.ofMinutes(15)));
        sweepDistricts(platform);
        try (devices; web) {
            System.out.println("API_URL=" + platform.apiUrl());
            System.out.println("AWS_ENDPOINT_URL=" + platform.aws().url());
            System.out.println("WEB_CLIENT_URL=" + web.url());
            System.out.flush();
            var commands = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = commands.readLine()) != null;) {
                // Until the parent closes our standard input: its test-only commands, one a line.
                System.out.println(LocalSweep.run(platform, line));
                System.out.flush();
            }
        } finally {
            platform.close();
            platform.aws().close();
        }
    }
}
