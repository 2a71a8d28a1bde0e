package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;

/** template.yaml and the code agree: routes, handler classes, tables, permissions. */
class TemplateContractTest {
    private static SamTemplate template;

    @BeforeAll
    static void load() {
        LocalAws.shared(); // the handlers' no-argument constructors read the local environment
        template = SamTemplate.load();
    }

    @Test
    void everyHandlerClass_exists_andHasThePublicNoArgumentConstructorLambdaCalls() throws Exception {
        assertThat(template.functions()).isNotEmpty();
        for (SamTemplate.Function function : template.functions()) {
            Class<?> type = Class.forName(function.handlerClass());
            assertThat(type.getConstructor()).as(function.logicalId()).isNotNull();
            assertThat(function.handler()).endsWith("::handleRequest");
        }
    }

    @Test
    void everyTemplateRoute_isInItsHandlersRouteTable_andViceVersa() throws Exception {
        for (SamTemplate.Function function : template.functions()) {
            Object handler = Class.forName(function.handlerClass()).getConstructor().newInstance();
            if (!(handler instanceof ApiHandler api)) {
                assertThat(function.routes()).as(function.logicalId() + " has routes but no route table").isEmpty();
                continue;
            }
            Set<String> declared = function.routes().stream().map(SamTemplate.HttpRoute::routeKey).collect(Collectors.toSet());
            Set<String> served = api.router().routes().stream().map(Router.Route::routeKey).collect(Collectors.toSet());
            assertThat(served).as(function.logicalId()).containsExactlyInAnyOrderElementsOf(declared);
        }
    }

    @Test
    void everyRoute_isServedByTheLocalHttpApi() throws Exception {
        try (LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY)) {
            List<String> expected = new ArrayList<>();
            template.functions().forEach(f -> f.routes().forEach(r -> expected.add(r.routeKey())));
            assertThat(platform.api().routeKeys()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void everyTableVariable_namesATableOfTheTemplate_andItsFunctionMayUseOnlyThatTable() {
        Set<String> tables = template.tables().stream().map(SamTemplate.Table::logicalId).collect(Collectors.toSet());
        for (SamTemplate.Function function : template.functions()) {
            List<String> named = function.environment().entrySet().stream()
                    .filter(e -> e.getKey().endsWith("_TABLE")).map(java.util.Map.Entry::getValue).toList();
            if (named.isEmpty() && function.routes().isEmpty()) {
                // A function with no data of its own (the user pool's trigger) may use no table at all.
                assertThat(function.policyTables()).as(function.logicalId() + " policies").isEmpty();
                continue;
            }
            assertThat(named).as(function.logicalId()).hasSize(1);
            assertThat(tables).contains(named.get(0));
            assertThat(function.policyTables()).as(function.logicalId() + " policies").containsOnly(named.get(0));
        }
    }

    @Test
    void functions_runJava21OnArm64_traced_withSnapStartOnAnAlias() {
        JsonNode globals = template.root().path("Globals").path("Function");

        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        assertThat(globals.path("Architectures").get(0).asText()).isEqualTo("arm64");
        assertThat(globals.path("Tracing").asText()).isEqualTo("Active");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotBlank();
        assertThat(globals.path("Environment").path("Variables").has("POWERTOOLS_METRICS_NAMESPACE")).isTrue();
    }

    @Test
    void everyFunction_hasItsOwnServiceName_andALogGroupWithRetention() {
        JsonNode resources = template.root().path("Resources");
        for (SamTemplate.Function function : template.functions()) {
            assertThat(function.environment()).as(function.logicalId()).containsKey("POWERTOOLS_SERVICE_NAME");
            String logGroup = resources.path(function.logicalId()).path("Properties").path("LoggingConfig").path("LogGroup").asText();
            assertThat(resources.path(logGroup).path("Properties").path("RetentionInDays").isMissingNode())
                    .as(function.logicalId() + " log group " + logGroup).isFalse();
        }
    }

    @Test
    void theUserPool_hasTheFourRoleGroups() {
        List<String> groups = new ArrayList<>();
        template.root().path("Resources").forEach(r -> {
            if ("AWS::Cognito::UserPoolGroup".equals(r.path("Type").asText())) {
                groups.add(r.path("Properties").path("GroupName").asText());
            }
        });
        assertThat(groups).containsExactlyInAnyOrder("resident", "provider", "agent", "admin");
    }
}
