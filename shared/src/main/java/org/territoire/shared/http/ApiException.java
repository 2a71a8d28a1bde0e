package org.territoire.shared.http;

import java.util.List;
import java.util.Map;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;

/**
 * A request that cannot be served, with the HTTP status and the RFC 9457 problem details
 * that explain why. The HTTP layer's own vocabulary: the kernel throws it for what only HTTP
 * knows (no token, no such route, a body too large or of another media type) and maps every
 * {@link DomainError} a service throws to one with {@link #of}. Services never see it. Its
 * message never carries internal details such as stack traces.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public ApiException(int status, String type, String title, String detail, List<FieldError> errors,
                        Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
    }

    /** The one place a domain outcome becomes an HTTP status (see docs/decisions.md). */
    public static ApiException of(RuntimeException e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (!(e instanceof DomainError domain)) {
            throw new IllegalArgumentException("not a request failure", e);
        }
        return switch (domain) {
            case DomainError.Invalid invalid -> badRequest(invalid.errors());
            case DomainError.NotFound notFound -> notFound(notFound.detail());
            case DomainError.Forbidden forbidden -> forbidden(forbidden.detail());
            case DomainError.Conflict conflict -> conflict(conflict.detail(), conflict.details());
            case DomainError.RuleViolated rule -> unprocessable(rule.detail(), rule.details());
            case DomainError.Unavailable unavailable -> unavailable(unavailable.detail());
        };
    }

    public static ApiException badRequest(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).detail()
                : errors.size() + " fields are invalid";
        return new ApiException(400, "validation-error", "Invalid request", detail, errors, Map.of());
    }

    public static ApiException badRequest(String field, String detail) {
        return badRequest(List.of(new FieldError(field, detail)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Authentication required", detail, List.of(), Map.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Not allowed", detail, List.of(), Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail, List.of(), Map.of());
    }

    public static ApiException methodNotAllowed(String detail) {
        return new ApiException(405, "method-not-allowed", "Method not allowed", detail, List.of(), Map.of());
    }

    public static ApiException conflict(String detail) {
        return conflict(detail, Map.of());
    }

    public static ApiException conflict(String detail, Map<String, Object> extensions) {
        return new ApiException(409, "conflict", "Conflict", detail, List.of(), extensions);
    }

    public static ApiException unprocessable(String detail) {
        return unprocessable(detail, Map.of());
    }

    public static ApiException unprocessable(String detail, Map<String, Object> extensions) {
        return new ApiException(422, "rule-violated", "Request breaks a rule", detail, List.of(), extensions);
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(413, "payload-too-large", "Payload too large", detail, List.of(), Map.of());
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(415, "unsupported-media-type", "Unsupported media type", detail, List.of(), Map.of());
    }

    public static ApiException tooManyRequests(String detail) {
        return new ApiException(429, "too-many-requests", "Too many requests", detail, List.of(), Map.of());
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service temporarily unavailable", detail, List.of(), Map.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
