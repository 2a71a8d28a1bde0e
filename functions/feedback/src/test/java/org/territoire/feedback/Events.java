package org.territoire.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** Payload 2.0 events for tests: a recorded event from resources/events, adapted per test. */
final class Events {
    private final ObjectNode event;

    private Events(ObjectNode event) {
        this.event = event;
    }

    static Events load(String name) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + name + ".json")) {
            return new Events((ObjectNode) Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Events request(String method, String path) {
        Events e = load("create-service");
        e.event.put("rawPath", path);
        e.event.put("routeKey", method + " " + path);
        ((ObjectNode) e.event.path("requestContext").path("http")).put("method", method).put("path", path);
        e.event.remove("body");
        return e;
    }

    Events as(String sub, String groups, Map<String, String> extraClaims) {
        ObjectNode claims = ((ObjectNode) event.path("requestContext").path("authorizer").path("jwt")).putObject("claims");
        claims.put("sub", sub).put("cognito:groups", "[" + groups + "]");
        extraClaims.forEach(claims::put);
        return this;
    }

    Events anonymous() {
        ((ObjectNode) event.path("requestContext")).remove("authorizer");
        return this;
    }

    Events body(String json) {
        event.put("body", json);
        return this;
    }

    Events header(String name, String value) {
        ((ObjectNode) event.path("headers")).put(name, value);
        return this;
    }

    Events query(String name, String value) {
        ((ObjectNode) event.with("queryStringParameters")).put(name, value);
        return this;
    }

    HttpApiEvent build() {
        return HttpApiEvent.from(event.deepCopy());
    }

    JsonNode raw() {
        return event.deepCopy();
    }
}
