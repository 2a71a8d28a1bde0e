package org.territoire.local.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.territoire.shared.http.HttpApiEvent;

/** The JWT claims API Gateway passes for each role, and events built from a path with its query, for handler tests. */
public final class TestRequests {
    private TestRequests() {
    }

    public static Map<String, String> resident(String id) {
        return resident(id, "centre");
    }

    public static Map<String, String> resident(String id, String district) {
        return Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", district);
    }

    public static Map<String, String> provider(String organisation) {
        return Map.of("sub", "staff-" + organisation, "cognito:groups", "[provider]", "custom:organisation", organisation);
    }

    public static Map<String, String> agent() {
        return Map.of("sub", "agent-1", "cognito:groups", "[agent]", "custom:organisation", "mairie");
    }

    /** A payload 2.0 event for {@code method pathAndQuery}, the query split into parameters as API Gateway does. */
    public static HttpApiEvent event(String method, String pathAndQuery, Map<String, String> claims, Map<String, String> headers,
                                     String body) {
        Map<String, String> query = new HashMap<>();
        String path = pathAndQuery;
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            path = pathAndQuery.substring(0, q);
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return new HttpApiEvent(UUID.randomUUID().toString(), method, path, headers, query, Map.of(), body, claims);
    }
}
