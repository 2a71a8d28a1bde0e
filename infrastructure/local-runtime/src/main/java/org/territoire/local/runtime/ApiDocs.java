package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.territoire.local.aws.ProjectRoot;

/**
 * The API description beside the local HTTP API: {@code GET /openapi.yaml}, {@code /openapi.json},
 * and an interactive reference at {@code /docs} (Swagger UI from api/node_modules, installed by
 * infrastructure/setup.sh: served offline, nothing fetched from a CDN). Only these fixed paths
 * are served: no file name ever comes from the request.
 */
final class ApiDocs {
    record Document(String contentType, byte[] body) {
    }

    /** The reference page: Swagger UI reading the description this server serves. */
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Territoire API</title>
            <link rel="stylesheet" href="/docs/swagger-ui.css"></head>
            <body><div id="ui"></div>
            <script src="/docs/swagger-ui-bundle.js"></script>
            <script src="/docs/init.js"></script>
            </body></html>
            """;
    /** Outside the page so that a Content-Security-Policy without 'unsafe-inline' holds. */
    private static final String INIT = """
            window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#ui", deepLinking: true,
              persistAuthorization: false, tryItOutEnabled: true });
            """;
    private static final Map<String, String> ASSETS = Map.of(
            "/docs/swagger-ui.css", "text/css; charset=utf-8",
            "/docs/swagger-ui-bundle.js", "text/javascript; charset=utf-8");

    private final Path root;

    ApiDocs(Path root) {
        this.root = root;
    }

    static ApiDocs ofProject() {
        return new ApiDocs(ProjectRoot.find());
    }

    Path description() {
        return root.resolve("api/openapi.yaml");
    }

    /** The description as a JSON tree (for the validator and /openapi.json). */
    JsonNode tree() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(description().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + description(), e);
        }
    }

    /** What {@code GET path} answers here, if it is one of the description's paths. */
    Optional<Document> get(String path) {
        try {
            return switch (path) {
                case "/openapi.yaml" -> Optional.of(new Document("application/yaml; charset=utf-8", Files.readAllBytes(description())));
                case "/openapi.json" -> Optional.of(new Document("application/json",
                        new ObjectMapper().writeValueAsBytes(tree())));
                case "/docs", "/docs/" -> Optional.of(new Document("text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)));
                case "/docs/init.js" -> Optional.of(new Document("text/javascript; charset=utf-8", INIT.getBytes(StandardCharsets.UTF_8)));
                default -> {
                    String type = ASSETS.get(path);
                    if (type == null) {
                        yield Optional.empty();
                    }
                    Path asset = root.resolve("api/node_modules/swagger-ui-dist").resolve(path.substring("/docs/".length()));
                    yield Files.exists(asset) ? Optional.of(new Document(type, Files.readAllBytes(asset))) : Optional.empty();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API description", e);
        }
    }
}
