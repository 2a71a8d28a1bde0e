package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.json.Json;

/**
 * A local API Gateway HTTP API: serves every HttpApi route of template.yaml by invoking its
 * function's handler class in-process with a payload 2.0 event, after checking the bearer
 * token as the JWT authorizer would. Functions run in the {@link FunctionHost}, one
 * request per handler instance at a time, as in Lambda.
 */
public final class HttpApiEmulator implements AutoCloseable {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault());
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    record Binding(SamTemplate.Function function, SamTemplate.HttpRoute route) {
        /** Literal segments first, so /services/search wins over /services/{id}. */
        int specificity() {
            return (int) java.util.Arrays.stream(route.path().split("/")).filter(s -> !s.startsWith("{")).count();
        }
    }

    private final List<Binding> bindings = new ArrayList<>();
    private final JwtAuthorizer authorizer;
    private final LocalIssuer issuer;
    private final JsonNode cors;
    private final FunctionHost functions;
    private final ApiDocs docs = ApiDocs.ofProject();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile java.util.function.Consumer<String> requestLog = line -> { };

    /**
     * One request a route of the template answered (through its function, or its authorizer's
     * 401): what a check of the API's description needs. {@code route} is the template's path
     * ({@code /services/{serviceId}}); bodies are as on the wire (a gzip body still gzipped).
     */
    public record Exchange(String method, String route, Map<String, String> requestHeaders, byte[] requestBody,
                           int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sees every exchange of every emulator in this JVM, after it is answered. Tests install the
     * description's check here (ContractEnforcement, in the tests), so that every test that calls
     * the local HTTP API checks the contract; the run command installs nothing.
     */
    private static volatile java.util.function.Consumer<Exchange> exchanges = exchange -> { };

    public static void observeEveryExchange(java.util.function.Consumer<Exchange> observer) {
        exchanges = observer;
    }

    public HttpApiEmulator(SamTemplate template, FunctionHost functions, LocalIssuer issuer, int port) throws IOException {
        this.functions = functions;
        this.issuer = issuer;
        this.authorizer = new JwtAuthorizer(issuer);
        this.cors = template.cors();
        for (SamTemplate.Function function : template.functions()) {
            for (SamTemplate.HttpRoute route : function.routes()) {
                bindings.add(new Binding(function, route));
            }
        }
        bindings.sort(Comparator.comparingInt(Binding::specificity).reversed());
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Receives one short line per request served (see {@link #requestLine}), as {@code sam local} prints them. */
    public void onRequest(java.util.function.Consumer<String> log) {
        this.requestLog = log;
    }

    /**
     * {@code 10:32:40 GET /services 200 41 ms FeedbackFunction}: the time, the method, the
     * path without its query string, the status, the time to answer and the function that
     * answered (none when the gateway itself answered). A path parameter that is a bearer
     * secret (the calendar feed's token) shows as its name: console lines are logs too.
     */
    static String requestLine(Instant at, String method, String path, int status, long millis, String function) {
        return "%s %s %s %d %d ms%s".formatted(CLOCK.format(at), method, path, status, millis, function == null ? "" : " " + function);
    }

    public List<String> routeKeys() {
        return bindings.stream().map(b -> b.route().routeKey()).sorted().toList();
    }

    private void serve(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        Served served = new Served();
        SERVED.set(served);
        try {
            if ("GET".equals(method) && "/.well-known/jwks.json".equals(path)) {
                send(exchange, 200, Map.of("content-type", "application/json"), issuer.jwks().getBytes(StandardCharsets.UTF_8));
                return;
            }
            // The API's own description and its reference page, where no route of the template serves them
            // (GET /openapi.yaml is the bookings function's, as in AWS).
            Optional<ApiDocs.Document> doc = "GET".equals(method) && match(method, path).isEmpty() ? docs.get(path) : Optional.empty();
            if (doc.isPresent()) {
                send(exchange, 200, Map.of("content-type", doc.get().contentType(), "cache-control", "no-cache"), doc.get().body());
                return;
            }
            if ("OPTIONS".equals(method) && exchange.getRequestHeaders().containsKey("Access-Control-Request-Method")) {
                preflight(exchange);
                return;
            }
            Optional<Map.Entry<Binding, Map<String, String>>> match = match(method, path);
            if (match.isEmpty()) {
                gatewayError(exchange, 404, "Not Found");
                return;
            }
            Binding binding = match.get().getKey();
            served.shownPath = shownPath(binding.route().path(), path);
            served.route = binding.route().path();
            Map<String, String> claims = Map.of();
            if (binding.route().authorized()) {
                Optional<Map<String, String>> verified = authorizer.authorize(exchange.getRequestHeaders().getFirst("Authorization"));
                if (verified.isEmpty()) {
                    exchange.getResponseHeaders().add("www-authenticate", "Bearer");
                    gatewayError(exchange, 401, "Unauthorized");
                    return;
                }
                claims = verified.get();
            }
            ObjectNode event = event(exchange, binding, match.get().getValue(), claims);
            served.function = binding.function().logicalId();
            invoke(exchange, binding.function(), event);
        } catch (RuntimeException e) {
            // What API Gateway answers when the integration fails.
            System.err.println("[http-api] integration failure: " + e);
            gatewayError(exchange, 500, "Internal Server Error");
        } finally {
            exchange.close();
            SERVED.remove();
            if (served.route != null) {
                observe(method, exchange, served);
            }
            requestLog.accept(requestLine(Instant.now(), method, served.shownPath == null ? path : served.shownPath,
                    served.status, (System.nanoTime() - started) / 1_000_000, served.function));
        }
    }

    /** What the request line tells of one request; each request is served by one (virtual) thread, start to end. */
    private static final class Served {
        int status;
        String function;
        String shownPath;
        String route;
        byte[] requestBody = new byte[0];
        Map<String, String> headers = Map.of();
        byte[] body = new byte[0];
    }

    private static void observe(String method, HttpExchange exchange, Served served) {
        Map<String, String> requestHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> requestHeaders.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        try {
            exchanges.accept(new Exchange(method, served.route, requestHeaders, served.requestBody, served.status,
                    served.headers, served.body));
        } catch (RuntimeException e) {
            System.err.println("[http-api] exchange observer failed: " + e);
        }
    }

    private static final ThreadLocal<Served> SERVED = new ThreadLocal<>();

    /** The request's path, with the value of any {@code ...Token} parameter replaced by the parameter's name. */
    static String shownPath(String template, String rawPath) {
        String[] want = template.split("/", -1);
        String[] have = rawPath.split("/", -1);
        for (int i = 0; i < want.length && i < have.length; i++) {
            if (want[i].startsWith("{") && want[i].toLowerCase(Locale.ROOT).contains("token")) {
                have[i] = want[i];
            }
        }
        return String.join("/", have);
    }

    private Optional<Map.Entry<Binding, Map<String, String>>> match(String method, String path) {
        for (Binding binding : bindings) {
            if (!binding.route().method().equals(method) && !"ANY".equals(binding.route().method())) {
                continue;
            }
            Optional<Map<String, String>> params = bind(binding.route().path(), path);
            if (params.isPresent()) {
                return Optional.of(Map.entry(binding, params.get()));
            }
        }
        return Optional.empty();
    }

    static Optional<Map<String, String>> bind(String template, String rawPath) {
        String[] want = template.split("/", -1);
        String[] have = rawPath.split("/", -1);
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            String segment = want[i];
            if (segment.startsWith("{") && segment.endsWith("+}") && i == want.length - 1) {
                String rest = String.join("/", java.util.Arrays.copyOfRange(have, i, have.length));
                if (rest.isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1, segment.length() - 2), decodedPath(rest));
                return Optional.of(params);
            }
            if (i >= have.length) {
                return Optional.empty();
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (have[i].isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1, segment.length() - 1), decodedPath(have[i]));
            } else if (!segment.equals(have[i])) {
                return Optional.empty();
            }
        }
        return want.length == have.length ? Optional.of(params) : Optional.empty();
    }

    /**
     * The path as an HTTP API delivers it in a payload 2.0 event: {@code rawPath} and
     * {@code pathParameters} arrive percent-decoded (a request for {@code /a%20b} gives
     * {@code rawPath} "/a b"; a {@code +} stays a plus), unlike REST APIs and function URLs,
     * which keep the encoding. Seen in live captures: hotsock/voker's test data
     * (vokerhttp/testdata/apigwv2-request.json) and Worklytics/psoxy#827. So the function's
     * router must not decode again (a client's {@code %2541} would become "A"). An escape that
     * spells no UTF-8 ({@code %ZZ}, {@code %C3%28}) is left as sent: what API Gateway does with
     * it is not documented, and a literal {@code %} matches no identifier of the API, so the
     * function answers 404 either way.
     */
    static String decodedPath(String raw) {
        return percentDecoded(raw, false);
    }

    /** Query strings decode as forms do: {@code +} is a space (API Gateway's queryStringParameters agree). */
    static String decodedQuery(String raw) {
        return percentDecoded(raw, true);
    }

    private static String percentDecoded(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '+' && plusIsSpace) {
                out.append(' ');
                i++;
            } else if (c == '%') {
                // A run of escapes decodes as one UTF-8 sequence, or stays as sent.
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                int j = i;
                while (j + 2 < raw.length() && raw.charAt(j) == '%'
                        && Character.digit(raw.charAt(j + 1), 16) >= 0 && Character.digit(raw.charAt(j + 2), 16) >= 0) {
                    bytes.write(Character.digit(raw.charAt(j + 1), 16) << 4 | Character.digit(raw.charAt(j + 2), 16));
                    j += 3;
                }
                if (j == i) {
                    out.append(c);
                    i++;
                    continue;
                }
                try {
                    out.append(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())));
                } catch (java.nio.charset.CharacterCodingException e) {
                    out.append(raw, i, j);
                }
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** The payload 2.0 event, as API Gateway builds it. */
    private ObjectNode event(HttpExchange exchange, Binding binding, Map<String, String> pathParameters,
                             Map<String, String> claims) throws IOException {
        ObjectNode event = Json.MAPPER.createObjectNode();
        String routeKey = binding.route().routeKey();
        URI uri = exchange.getRequestURI();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        // HTTP APIs hand the function the path decoded, despite its name (see decodedPath).
        event.put("rawPath", decodedPath(uri.getRawPath()));
        event.put("rawQueryString", uri.getRawQuery() == null ? "" : uri.getRawQuery());
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!"cookie".equalsIgnoreCase(name)) {
                headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        // API Gateway adds these; functions build absolute URLs from Host and X-Forwarded-Proto.
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", String.valueOf(exchange.getLocalAddress().getPort()));
        headers.put("x-forwarded-for", exchange.getRemoteAddress().getAddress().getHostAddress());
        List<String> cookies = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
        if (!cookies.isEmpty()) {
            var array = event.putArray("cookies");
            cookies.stream().flatMap(c -> java.util.Arrays.stream(c.split(";\\s*"))).forEach(array::add);
        }
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            Map<String, String> query = new LinkedHashMap<>();
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String name = decodedQuery(kv[0]);
                String value = kv.length > 1 ? decodedQuery(kv[1]) : "";
                query.merge(name, value, (a, b) -> a + "," + b);
            }
            ObjectNode q = event.putObject("queryStringParameters");
            query.forEach(q::put);
        }
        if (!pathParameters.isEmpty()) {
            ObjectNode p = event.putObject("pathParameters");
            pathParameters.forEach(p::put);
        }
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        if (binding.route().authorized()) {
            ObjectNode jwt = ctx.putObject("authorizer").putObject("jwt");
            ObjectNode c = jwt.putObject("claims");
            claims.forEach(c::put);
            jwt.putNull("scopes");
        }
        ctx.put("domainName", "127.0.0.1");
        ctx.put("domainPrefix", "127");
        ObjectNode http = ctx.putObject("http");
        http.put("method", exchange.getRequestMethod().toUpperCase(Locale.ROOT));
        http.put("path", uri.getRawPath());
        http.put("protocol", exchange.getProtocol());
        http.put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse(""));
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "$default");
        Instant now = Instant.now();
        ctx.put("time", REQUEST_TIME.format(now));
        ctx.put("timeEpoch", now.toEpochMilli());
        byte[] body = exchange.getRequestBody().readAllBytes();
        Served served = SERVED.get();
        if (served != null) {
            served.requestBody = body;
        }
        if (body.length > 0) {
            String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
            boolean text = type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                    || type.contains("x-www-form-urlencoded") || type.contains("calendar");
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    private void invoke(HttpExchange exchange, SamTemplate.Function function, ObjectNode event) throws IOException {
        byte[] out = functions.invoke(function, Json.write(event).getBytes(StandardCharsets.UTF_8));
        // A function may answer up to Lambda's 6 MB payload (the description alone is over 256 KB): read it as Lambda does, not as a request body.
        JsonNode response = Json.event(new java.io.ByteArrayInputStream(out));
        Map<String, String> headers = new LinkedHashMap<>();
        response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        response.path("cookies").forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c.asText()));
        byte[] body = new byte[0];
        if (response.hasNonNull("body")) {
            String text = response.get("body").asText();
            body = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        send(exchange, response.path("statusCode").asInt(200), headers, body);
    }

    private void preflight(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("access-control-allow-methods", join(cors.path("AllowMethods")));
        headers.put("access-control-allow-headers", join(cors.path("AllowHeaders")));
        headers.put("access-control-max-age", cors.path("MaxAge").asText("0"));
        send(exchange, 204, headers, new byte[0]);
    }

    private void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        Served served = SERVED.get();
        if (served != null) {
            served.status = status;
            Map<String, String> lower = new LinkedHashMap<>();
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            served.headers = lower;
            served.body = body;
        }
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (!cors.isMissingNode()) {
            exchange.getResponseHeaders().set("access-control-allow-origin", allowedOrigin());
            if (cors.has("ExposeHeaders")) {
                exchange.getResponseHeaders().set("access-control-expose-headers", join(cors.path("ExposeHeaders")));
            }
        }
        exchange.getResponseHeaders().set("apigw-requestid", UUID.randomUUID().toString());
        if (status == 204 || body.length == 0) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The origin allowed locally: the template's, unless it is a parameter (then any). */
    private String allowedOrigin() {
        JsonNode origins = cors.path("AllowOrigins");
        String first = origins.isArray() && !origins.isEmpty() ? origins.get(0).asText() : "*";
        return first.startsWith("http") ? first : "*";
    }

    private void gatewayError(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, Map.of("content-type", "application/json"),
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return String.join(",", values);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
