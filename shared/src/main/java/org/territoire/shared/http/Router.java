package org.territoire.shared.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A capability's route table: method and path template (as written in template.yaml,
 * e.g. {@code /services/{serviceId}}) to the method that serves it.
 */
public final class Router {

    @FunctionalInterface
    public interface RouteHandler {
        ApiResponse handle(ApiRequest request);
    }

    /**
     * A declared route and who may reach it ({@link Access}, checked by the kernel before the
     * route runs). Idempotent POSTs honour the Idempotency-Key header.
     */
    public record Route(String method, String template, RouteHandler handler, boolean idempotent, Access access,
                        boolean takesBody, IdempotencyScope scope) {
        public String routeKey() {
            return method + " " + template;
        }
    }

    /**
     * Whose Idempotency-Key a request's is, on a route without a verified caller: the credential
     * it carries (an api_key, say), so that two clients' keys never meet. Never the credential
     * itself: the kernel hashes what this returns.
     */
    @FunctionalInterface
    public interface IdempotencyScope {
        String of(ApiRequest request);
    }

    public record Match(Route route, Map<String, String> pathParameters) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** A read for the platform's members: a token without a role gets 403. */
    public Router get(String template, RouteHandler handler) {
        return get(template, Access.MEMBERS, handler);
    }

    /** A read open as {@code access} says ({@link Access#SIGNED_IN} for public content, for instance). */
    public Router get(String template, Access access, RouteHandler handler) {
        return add("GET", template, handler, false, access, false);
    }

    /** A POST whose retries with the same Idempotency-Key have one effect. Every write names who may make it. */
    public Router post(String template, Access access, RouteHandler handler) {
        return add("POST", template, handler, true, access, true);
    }

    /** A POST open to callers the gateway does not verify, whose Idempotency-Keys are scoped by {@code scope}. */
    public Router post(String template, Access access, IdempotencyScope scope, RouteHandler handler) {
        routes.add(new Route("POST", template, handler, true, java.util.Objects.requireNonNull(access, "access"), true,
                java.util.Objects.requireNonNull(scope, "scope")));
        return this;
    }

    /**
     * A POST that acts on the object its path names and takes no body (schedule, support,
     * check in): a body sent to it is refused rather than ignored.
     */
    public Router action(String template, Access access, RouteHandler handler) {
        return add("POST", template, handler, true, access, false);
    }

    public Router put(String template, Access access, RouteHandler handler) {
        return add("PUT", template, handler, false, access, true);
    }

    public Router patch(String template, Access access, RouteHandler handler) {
        return add("PATCH", template, handler, false, access, true);
    }

    public Router delete(String template, Access access, RouteHandler handler) {
        return add("DELETE", template, handler, false, access, false);
    }

    /**
     * API Gateway's {@code ANY} route: every method, body or not, never replayed. With a greedy
     * {@code {name+}} last segment it is what the gateway calls for paths no other route takes
     * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html);
     * declare it after the routes it backs, since the first template that fits wins here.
     */
    public Router any(String template, Access access, RouteHandler handler) {
        return add("ANY", template, handler, false, access, true);
    }

    private Router add(String method, String template, RouteHandler handler, boolean idempotent, Access access,
                       boolean takesBody) {
        routes.add(new Route(method, template, handler, idempotent, java.util.Objects.requireNonNull(access, "access"), takesBody,
                null));
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The route for this request; 404 when no template matches the path, 405 when only the method differs. */
    public Match match(String method, String path) {
        java.util.Set<String> allowed = new java.util.TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> params = bind(route.template(), path);
            if (params.isPresent()) {
                allowed.add(route.method());
                if (route.method().equals(method.toUpperCase(Locale.ROOT)) || route.method().equals("ANY")) {
                    return new Match(route, params.get());
                }
            }
        }
        // Neither message quotes the method or the path: a problem never echoes what was sent.
        if (!allowed.isEmpty()) {
            throw ApiException.methodNotAllowed("this path does not take this method; it takes " + String.join(", ", allowed));
        }
        throw ApiException.notFound("no route matches this method and path");
    }

    static Optional<Map<String, String>> bind(String template, String path) {
        String[] want = template.split("/", -1);
        String[] have = stripTrailingSlash(path).split("/", -1);
        boolean greedy = template.endsWith("+}");
        if (want.length != have.length && !(greedy && have.length > want.length)) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.length; i++) {
            String segment = want[i];
            if (segment.startsWith("{") && segment.endsWith("+}") && i == want.length - 1) {
                // Greedy, as API Gateway's {proxy+}: the rest of the path, at least one segment.
                String rest = String.join("/", Arrays.copyOfRange(have, i, have.length));
                if (have.length < want.length || rest.isEmpty()) {
                    return Optional.empty();
                }
                params.put(segment.substring(1, segment.length() - 2), rest);
                return Optional.of(params);
            }
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (have[i].isEmpty()) {
                    return Optional.empty();
                }
                // Taken as it comes: an HTTP API has already percent-decoded rawPath, so decoding
                // again would turn a client's %2541 into "A" (see HttpApiEmulator.decodedPath).
                params.put(segment.substring(1, segment.length() - 1), have[i]);
            } else if (!segment.equals(have[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
