package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.territoire.shared.json.Json;

/**
 * A living territory for newcomers, loaded through the HTTP API itself (so it follows every
 * rule a client would). Each request carries an Idempotency-Key, so loading twice into a
 * running endpoint adds nothing.
 */
final class DemoData {
    private final LocalPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoData(LocalPlatform platform) {
        this.platform = platform;
    }

    void load() {
        String agent = platform.issuer().mint(LocalIssuer.User.of("demo-loader", "agent").ofOrganisation("mairie"));
        JsonNode services = read("/demo/services.json");
        int created = 0;
        for (JsonNode service : services) {
            created += post(agent, "/services", "demo-service-" + service.path("name").asText(), service) ? 1 : 0;
        }
        System.out.println("Demo data: " + created + " catalogue services.");
    }

    private boolean post(String token, String path, String key, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key.replaceAll("[^!-~]", "-"))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("demo data refused at " + path + ": " + response.statusCode() + " " + response.body());
            }
            return response.headers().firstValue("idempotency-replayed").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = DemoData.class.getResourceAsStream(resource)) {
            return Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
