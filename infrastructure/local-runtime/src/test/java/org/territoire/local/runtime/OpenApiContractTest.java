package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;

/** api/openapi.yaml and the code agree: the same routes as template.yaml, the roles each Router accepts. */
class OpenApiContractTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static SamTemplate template;
    private static JsonNode doc;

    @BeforeAll
    static void load() {
        LocalAws.shared(); // the handlers' no-argument constructors read the local environment
        template = SamTemplate.load();
        doc = ApiContract.load().doc();
    }

    @Test
    void theDescription_isOpenApi31() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void everyTemplateRoute_isDescribed_withTheSameMethodAndPath_andNothingElseIs() {
        Set<String> declared = new TreeSet<>();
        template.functions().forEach(f -> f.routes().forEach(r -> declared.add(r.routeKey())));
        assertThat(declared).hasSizeGreaterThanOrEqualTo(84);
        assertThat(described().keySet()).containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void eachOperationsRoles_areTheRolesItsRouterAccepts() throws Exception {
        Map<String, String> served = new TreeMap<>();
        for (SamTemplate.Function function : template.functions()) {
            Object handler = Class.forName(function.handlerClass()).getConstructor().newInstance();
            if (handler instanceof ApiHandler api) {
                for (Router.Route route : api.router().routes()) {
                    served.put(route.routeKey(), roles(route.access()));
                }
            }
        }
        Map<String, String> describedRoles = new TreeMap<>();
        described().forEach((key, op) -> {
            List<String> roles = new ArrayList<>();
            op.path("x-roles").forEach(r -> roles.add(r.asText()));
            describedRoles.put(key, String.join(", ", roles));
        });
        assertThat(describedRoles).isEqualTo(served);
    }

    @Test
    void everyRouteBehindTheAuthorizer_requiresTheBearerToken_andDescribesItsRefusals() {
        Set<String> open = new TreeSet<>();
        template.functions().forEach(f -> f.routes().stream().filter(r -> !r.authorized()).forEach(r -> open.add(r.routeKey())));
        described().forEach((key, op) -> {
            if (open.contains(key)) {
                assertThat(op.path("x-roles")).as(key).isEmpty();
                return;
            }
            assertThat(op.path("security").toString()).as(key).isEqualTo("[{\"bearer\":[]}]");
            assertThat(op.path("responses").has("401")).as(key + " 401").isTrue();
            assertThat(op.path("responses").has("403")).as(key + " 403").isTrue();
        });
    }

    @Test
    void everyOperation_hasAnId_aTag_aSuccess_andAProblemForBadInput() {
        Set<String> ids = new TreeSet<>();
        described().forEach((key, op) -> {
            assertThat(ids.add(op.path("operationId").asText())).as(key + " operationId unique").isTrue();
            assertThat(op.path("tags")).as(key).isNotEmpty();
            List<String> statuses = new ArrayList<>();
            op.path("responses").fieldNames().forEachRemaining(statuses::add);
            // The Open311 catch-all (ANY /open311/{proxy+}) exists to answer GeoReport's errors: it never succeeds.
            if (!key.startsWith("ANY ")) {
                assertThat(statuses).as(key).anyMatch(s -> s.startsWith("2"));
            }
            assertThat(statuses).as(key).contains("400", "503");
            if (op.has("requestBody")) {
                op.path("requestBody").path("content").forEach(c -> assertThat(c.has("example")).as(key + " example").isTrue());
            }
        });
    }

    /** "x-roles": [] for no token, ["*"] for any verified token, else the accepted groups. */
    private static String roles(Access access) {
        return switch (access) {
            case Access.Anyone a -> "";
            case Access.SignedIn s -> "*";
            case Access.Roles r -> r.names();
        };
    }

    private static Map<String, JsonNode> described() {
        Map<String, JsonNode> ops = new TreeMap<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                ops.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), op.getValue());
            } else if (op.getKey().equals(ApiContract.ANY_METHOD)) {
                ops.put("ANY " + path.getKey(), op.getValue());
            }
        }));
        return ops;
    }
}
