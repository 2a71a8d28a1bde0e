package org.territoire.shared.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parts of an API Gateway HTTP API payload format 2.0 event that the functions use.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
public record HttpApiEvent(String requestId, String method, String path, Map<String, String> headers,
                           Map<String, String> query, Map<String, String> pathParameters, String body,
                           Map<String, String> claims) {

    public static HttpApiEvent from(JsonNode event) {
        JsonNode ctx = event.path("requestContext");
        String method = text(ctx.path("http").path("method"), "GET").toUpperCase(Locale.ROOT);
        String path = text(event.path("rawPath"), text(ctx.path("http").path("path"), "/"));
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").properties().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText()));
        String body = event.hasNonNull("body") ? event.get("body").asText() : null;
        if (body != null && event.path("isBase64Encoded").asBoolean(false)) {
            body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new HttpApiEvent(text(ctx.path("requestId"), ""), method, path, headers,
                strings(event.path("queryStringParameters")), strings(event.path("pathParameters")), body,
                strings(ctx.path("authorizer").path("jwt").path("claims")));
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
        return map;
    }

    private static String text(JsonNode node, String fallback) {
        return node.isMissingNode() || node.isNull() ? fallback : node.asText();
    }
}
