package org.territoire.shared.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /openapi.yaml}: the API's description as deployed, for generating clients, served
 * by the function whose zip carries api/openapi.yaml as {@value #RESOURCE} (a Maven resource of
 * functions/bookings), so that what is published is the description of the code deployed.
 * Read on first use, not at init: it is over 200 KB and most instances never serve it.
 */
public final class ApiDescription {
    public static final String RESOURCE = "/territoire/openapi.yaml";

    private ApiDescription() {
    }

    private static final class Loaded {
        static final String YAML = read();

        private static String read() {
            try (InputStream in = ApiDescription.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not in this package (functions/bookings/pom.xml packages it)");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static ApiResponse serve(ApiRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        // RFC 9512 registers application/yaml.
        headers.put("content-type", "application/yaml; charset=utf-8");
        headers.put("cache-control", "public, max-age=300");
        return new ApiResponse(200, headers, Loaded.YAML);
    }
}
