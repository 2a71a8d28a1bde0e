package org.territoire.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import org.territoire.telemetry.ngsi.NgsiLd;

/**
 * NGSI-LD's HTTP binding (ETSI GS CIM 009 V1.8.1, clause 6) for the routes under
 * {@code /ngsi-ld/}: the representation ({@code options=keyValues} or normalized), where the
 * {@code @context} goes (inline for {@code Accept: application/ld+json}, else a {@code Link}
 * header, clause 6.3.6), and NGSI-LD's error types in the problem details (clause 5.5.2).
 */
final class NgsiLdHandler {
    static final String LD_JSON = "application/ld+json";
    static final String ERRORS = "https://uri.etsi.org/ngsi-ld/errors/";
    /** Query parameters whose syntax is wrong: InvalidRequest; any other bad input is BadRequestData. */
    private static final Set<String> SYNTAX = Set.of("q", "georel", "geometry", "coordinates", "options");

    private NgsiLdHandler() {
    }

    /** An entity or a list of them, as the request asks. */
    static ApiResponse answer(ApiRequest r, List<NgsiLd.Entity> entities, boolean single) {
        boolean keyValues = keyValues(r);
        boolean ld = wantsLd(r);
        String context = contextUrl(r);
        List<Object> bodies = entities.stream().<Object>map(e -> keyValues ? NgsiLd.keyValues(e, ld, context) : NgsiLd.normalized(e, ld, context))
                .toList();
        ApiResponse response = ApiResponse.json(200, single ? bodies.get(0) : bodies)
                .withHeader("content-type", ld ? LD_JSON : ApiResponse.JSON);
        return ld ? response : response.withHeader("link", link(context));
    }

    /** The platform's @context document, for JSON-LD processors and NGSI-LD brokers. */
    static ApiResponse context() {
        return ApiResponse.json(200, NgsiLd.context()).withHeader("content-type", LD_JSON)
                .withHeader("cache-control", "public, max-age=86400");
    }

    static String link(String contextUrl) {
        return "<" + contextUrl + ">; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
    }

    /** The served context's absolute URL, as the client reached the API (API Gateway sets Host and X-Forwarded-Proto). */
    static String contextUrl(ApiRequest r) {
        String host = r.header("host");
        String proto = r.header("x-forwarded-proto");
        String base = host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}") ? "https://localhost"
                : ("http".equals(proto) ? "http://" : "https://") + host;
        return base + NgsiLd.CONTEXT_PATH;
    }

    private static boolean keyValues(ApiRequest r) {
        String options = r.query("options").orElse("normalized");
        return switch (options) {
            case "keyValues", "simplified" -> true;
            case "normalized" -> false;
            default -> throw DomainError.invalid("options", "must be keyValues (or simplified) or normalized");
        };
    }

    /** JSON-LD only when asked for by name; application/json, any type or no Accept get the Link header (clause 6.3.6). */
    private static boolean wantsLd(ApiRequest r) {
        String accept = r.header("accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(LD_JSON);
    }

    /** The platform's problem details, typed with NGSI-LD's error types where the standard has one. */
    static ApiResponse errors(ApiResponse response) {
        String contentType = response.headers().getOrDefault("content-type", "");
        if (response.statusCode() < 400 || !contentType.startsWith(ApiResponse.PROBLEM_JSON)) {
            return response;
        }
        JsonNode problem = Json.tree(response.body());
        String type = switch (response.statusCode()) {
            case 400 -> {
                boolean syntax = false;
                for (JsonNode e : problem.path("errors")) {
                    syntax |= SYNTAX.contains(e.path("field").asText());
                }
                yield syntax ? "InvalidRequest" : "BadRequestData";
            }
            case 404 -> "ResourceNotFound";
            case 405 -> "OperationNotSupported";
            case 500 -> "InternalError";
            default -> null;
        };
        if (type == null) {
            // 401, 403, 413, 429, 503: NGSI-LD names no type for these; the platform's stay.
            return response;
        }
        ((ObjectNode) problem).put("type", ERRORS + type);
        return new ApiResponse(response.statusCode(), response.headers(), Json.write(problem));
    }
}
