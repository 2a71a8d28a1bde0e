package org.territoire.shared.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.json.Json;

/** An HTTP answer, rendered as the payload 2.0 response that API Gateway expects. */
public record ApiResponse(int statusCode, Map<String, String> headers, String body) {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Base of the problem type URIs; each is documented in docs/errors.md. */
    public static final String PROBLEM_BASE = "https://territoire.example/problems/";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, Map.of("content-type", JSON, "location", location), Json.write(body));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("content-type", JSON), Json.write(body));
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, Map.of("content-type", contentType), body);
    }

    /** RFC 9457 problem details; field errors go in an {@code errors} extension member. */
    public static ApiResponse problem(ApiException e, String instance) {
        ObjectNode problem = Json.MAPPER.createObjectNode();
        problem.put("type", PROBLEM_BASE + e.type());
        problem.put("title", e.title());
        problem.put("status", e.status());
        problem.put("detail", e.detail());
        if (instance != null && !instance.isBlank()) {
            problem.put("instance", instance);
        }
        if (!e.errors().isEmpty()) {
            var errors = problem.putArray("errors");
            for (FieldError error : e.errors()) {
                errors.addObject().put("field", error.field()).put("pointer", error.pointer()).put("detail", error.detail());
            }
        }
        e.extensions().forEach((k, v) -> problem.set(k, Json.MAPPER.valueToTree(v)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", PROBLEM_JSON);
        if (e.status() == 429 || e.status() == 503) {
            headers.put("retry-after", "1");
        }
        return new ApiResponse(e.status(), headers, Json.write(problem));
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(statusCode, copy, body);
    }

    /** The payload 2.0 response object. */
    public ObjectNode toEvent() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("statusCode", statusCode);
        ObjectNode h = node.putObject("headers");
        headers.forEach(h::put);
        if (body != null) {
            node.put("body", body);
        }
        node.put("isBase64Encoded", false);
        return node;
    }
}
