package org.territoire.shared.http;

import org.territoire.shared.identity.Caller;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.json.Json;

/** A routed request: the event, the path parameters of the matched route, and the verified caller. */
public record ApiRequest(HttpApiEvent event, Map<String, String> pathParameters, Optional<Caller> optionalCaller) {

    /** The signed-in caller; 401 when the route was reached without a verified token. */
    public Caller caller() {
        return optionalCaller.orElseThrow(() -> ApiException.unauthorized("a valid bearer token is required"));
    }

    /**
     * Says, where a handler needs nothing of the caller, that the route is for signed-in
     * people only; the route's {@link Access} already checked it, this keeps the handler honest
     * if the route table changes.
     */
    public void requireSignedIn() {
        caller();
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(name, "is required in the path");
        }
        return value;
    }

    public Optional<String> query(String name) {
        String value = event.query().get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public int intQuery(String name, int fallback, int min, int max) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw ApiException.badRequest(name, "must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name, "must be a whole number");
        }
    }

    public <E extends Enum<E>> Optional<E> enumQuery(String name, Class<E> type) {
        return query(name).map(raw -> {
            try {
                return Enum.valueOf(type, raw.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        });
    }

    public String header(String name) {
        return event.header(name);
    }

    /**
     * The JSON body as its command type. A body labelled with another media type (text/plain,
     * a form) is a 415, whatever it holds; an unlabelled one is read as JSON.
     */
    public <T> T body(Class<T> type) {
        String contentType = event.header("content-type");
        if (contentType != null && !isJson(contentType)) {
            throw ApiException.unsupportedMediaType("send the body as application/json");
        }
        return Json.readBody(event.body(), type);
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }
}
