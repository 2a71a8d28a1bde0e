package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.identity.CognitoMfaDirectory;
import org.territoire.identity.MfaGuardHandler;
import org.territoire.identity.PrivilegedGroups;
import org.territoire.local.aws.ProjectRoot;
import org.territoire.local.aws.SamTemplate;

/**
 * template.yaml's security and operations promises (issue 10): identity, alarms that reach
 * someone, nothing lost, nothing deletable by accident, abuse limits, and the checks in the
 * test command. The template is read as the local runtime reads it: a short-form tag yields
 * its argument ({@code !Ref X} is {@code "X"}, {@code !If [C, a, b]} is {@code [C, a, b]}).
 */
class TemplateHardeningContractTest {
    private static SamTemplate template;
    private static JsonNode resources;

    @BeforeAll
    static void load() {
        template = SamTemplate.load();
        resources = template.root().path("Resources");
    }

    private static Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        resources.properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private static JsonNode props(String logicalId) {
        JsonNode resource = resources.path(logicalId);
        assertThat(resource.isMissingNode()).as("resource " + logicalId).isFalse();
        return resource.path("Properties");
    }

    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode()) {
            out.add(node.asText());
        }
        return out;
    }

    /** A number that is a literal or a parameter reference (then the parameter's default). */
    private static int number(JsonNode node) {
        JsonNode parameter = template.root().path("Parameters").path(node.asText());
        return parameter.isMissingNode() ? node.asInt() : parameter.path("Default").asInt();
    }

    // ------------------------------------------------------------------ identity

    @Test
    void theUserPool_allowsSelfSignUpWithEmailVerified_recoversByVerifiedEmailOnly_andVerifiesAChangedEmail() {
        JsonNode pool = props("UserPool");

        // Self sign-up (issue 15): a new account has no group until AccountsFunction verifies it.
        assertThat(pool.path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean(true)).isFalse();
        assertThat(texts(pool.path("AutoVerifiedAttributes"))).containsExactly("email");
        // Only the email is the user's to write; custom:district and custom:organisation are the platform's.
        JsonNode client = props("UserPoolClient");
        assertThat(texts(client.path("WriteAttributes"))).containsExactly("email");
        JsonNode recovery = pool.path("AccountRecoverySetting").path("RecoveryMechanisms");
        List<String> mechanisms = new ArrayList<>();
        recovery.forEach(m -> mechanisms.add(m.path("Name").asText()));
        assertThat(mechanisms).containsExactly("verified_email");
        assertThat(texts(pool.path("UserAttributeUpdateSettings").path("AttributesRequireVerificationBeforeUpdate")))
                .containsExactly("email");
        assertThat(pool.path("UsernameConfiguration").path("CaseSensitive").isBoolean()).isTrue();
        assertThat(pool.path("UsernameConfiguration").path("CaseSensitive").asBoolean()).isFalse();
    }

    @Test
    void theUserPool_andItsUsers_surviveADeletedStack_orAReplacement() {
        JsonNode pool = resources.path("UserPool");

        assertThat(pool.path("Properties").path("DeletionProtection").asText()).isEqualTo("ACTIVE");
        assertThat(pool.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(pool.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    }

    @Test
    void mfa_isOptionalTotpForTheWholePool_andAVersion2TokenTriggerWithholdsAgentAndAdminWithoutIt() {
        JsonNode pool = props("UserPool");
        assertThat(pool.path("MfaConfiguration").asText()).isEqualTo("OPTIONAL");
        assertThat(texts(pool.path("EnabledMfas"))).contains("SOFTWARE_TOKEN_MFA");
        // V2 overrides the access token's groups too; it needs the Essentials feature plan.
        JsonNode trigger = pool.path("LambdaConfig").path("PreTokenGenerationConfig");
        assertThat(trigger.path("LambdaVersion").asText()).isEqualTo("V2_0");
        assertThat(pool.path("UserPoolTier").asText()).isIn("ESSENTIALS", "PLUS");
        String function = trigger.path("LambdaArn").asText().split("\\.")[0];

        assertThat(template.function(function).handlerClass()).isEqualTo(MfaGuardHandler.class.getName());
        // The groups the guard protects are the pool's own agent and admin groups.
        Set<String> groups = ofType("AWS::Cognito::UserPoolGroup").values().stream()
                .map(g -> g.path("Properties").path("GroupName").asText()).collect(Collectors.toSet());
        assertThat(groups).containsAll(PrivilegedGroups.REQUIRING_MFA);
        assertThat(PrivilegedGroups.REQUIRING_MFA).containsExactlyInAnyOrder("agent", "admin");
        // Cognito waits at most 5 seconds for a trigger; the guard's own call to Cognito gives up before.
        int timeout = props(function).path("Timeout").asInt();
        assertThat(timeout).isLessThanOrEqualTo(5);
        assertThat(CognitoMfaDirectory.API_CALL_TIMEOUT).isLessThan(java.time.Duration.ofSeconds(timeout));
    }

    @Test
    void theMfaGuard_mayReadUsersOfThisPoolOnly_andOnlyCognitoOfThisPoolMayInvokeIt() {
        String function = props("UserPool").path("LambdaConfig").path("PreTokenGenerationConfig").path("LambdaArn").asText().split("\\.")[0];
        assertThat(props(function).path("Policies").isMissingNode()).as("no SAM policy templates on " + function).isTrue();

        List<JsonNode> policies = ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> texts(p.path("Properties").path("Roles")).contains(function + "Role")).toList();
        assertThat(policies).hasSize(1);
        JsonNode statements = policies.get(0).path("Properties").path("PolicyDocument").path("Statement");
        assertThat(statements).hasSize(1);
        assertThat(texts(statements.get(0).path("Action"))).containsExactly("cognito-idp:AdminGetUser");
        assertThat(texts(statements.get(0).path("Resource"))).containsExactly("UserPool.Arn");

        List<JsonNode> permissions = ofType("AWS::Lambda::Permission").values().stream()
                .filter(p -> p.path("Properties").path("FunctionName").asText().startsWith(function)).toList();
        assertThat(permissions).hasSize(1);
        JsonNode permission = permissions.get(0).path("Properties");
        assertThat(permission.path("Principal").asText()).isEqualTo("cognito-idp.amazonaws.com");
        assertThat(permission.path("SourceArn").asText()).isEqualTo("UserPool.Arn");
        assertThat(permission.path("SourceAccount").asText()).isEqualTo("AWS::AccountId");
    }

    @Test
    void cognitoEmail_goesThroughSesFromTheVerifiedSender_whenOneIsGiven() {
        JsonNode choice = props("UserPool").path("EmailConfiguration");
        assertThat(choice.isArray()).as("EmailConfiguration: !If [condition, SES, default]").isTrue();
        assertThat(choice.get(0).asText()).isEqualTo("HasSesSender");
        JsonNode ses = choice.get(1);
        assertThat(ses.path("EmailSendingAccount").asText()).isEqualTo("DEVELOPER");
        assertThat(ses.path("From").asText()).isEqualTo("SesSenderEmail");
        assertThat(ses.path("SourceArn").toString()).contains(":ses:").contains("identity/");
        assertThat(choice.get(2).path("EmailSendingAccount").asText()).isEqualTo("COGNITO_DEFAULT");

        assertThat(template.root().path("Parameters").path("SesSenderEmail").path("Default").asText()).isEmpty();
        assertThat(template.root().path("Conditions").path("HasSesSender").toString()).contains("SesSenderEmail");
    }

    // ------------------------------------------------------------------ alarms that reach someone

    @Test
    void theAlarmTopic_isEncryptedWithACustomerManagedKey_thatCloudWatchAlarmsOfThisAccountMayUse() {
        Map<String, JsonNode> topics = ofType("AWS::SNS::Topic");
        assertThat(topics).containsKey("AlarmTopic");
        String key = props("AlarmTopic").path("KmsMasterKeyId").asText();
        assertThat(key).doesNotStartWith("alias/aws/");
        assertThat(resources.path(key).path("Type").asText()).isEqualTo("AWS::KMS::Key");
        assertThat(props(key).path("EnableKeyRotation").asBoolean()).isTrue();

        JsonNode grant = serviceStatement(props(key).path("KeyPolicy"), "cloudwatch.amazonaws.com");
        assertThat(texts(grant.path("Action"))).contains("kms:Decrypt", "kms:GenerateDataKey*");
        assertThat(grant.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo("AWS::AccountId");

        List<JsonNode> topicPolicies = ofType("AWS::SNS::TopicPolicy").values().stream()
                .filter(p -> texts(p.path("Properties").path("Topics")).contains("AlarmTopic")).toList();
        assertThat(topicPolicies).hasSize(1);
        JsonNode publish = serviceStatement(topicPolicies.get(0).path("Properties").path("PolicyDocument"), "cloudwatch.amazonaws.com");
        assertThat(texts(publish.path("Action"))).contains("sns:Publish");
        assertThat(publish.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo("AWS::AccountId");
    }

    private static JsonNode serviceStatement(JsonNode document, String service) {
        for (JsonNode statement : document.path("Statement")) {
            if ("Allow".equals(statement.path("Effect").asText())
                    && texts(statement.path("Principal").path("Service")).contains(service)) {
                return statement;
            }
        }
        throw new AssertionError("no statement allows " + service + " in " + document);
    }

    @Test
    void everyAlarm_notifiesTheAlarmTopic() {
        Map<String, JsonNode> alarms = ofType("AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty();
        alarms.forEach((id, alarm) -> assertThat(texts(alarm.path("Properties").path("AlarmActions"))).as(id).contains("AlarmTopic"));
    }

    /** Every metric an alarm watches: "namespace metric dimension=value ..." or a Metrics Insights query. */
    private static List<String> watched() {
        List<String> out = new ArrayList<>();
        ofType("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            JsonNode p = alarm.path("Properties");
            if (p.has("MetricName")) {
                out.add(metric(p.path("Namespace").asText(), p.path("MetricName").asText(), p.path("Dimensions")));
            }
            p.path("Metrics").forEach(m -> {
                if (m.has("MetricStat")) {
                    JsonNode metric = m.path("MetricStat").path("Metric");
                    out.add(metric(metric.path("Namespace").asText(), metric.path("MetricName").asText(), metric.path("Dimensions")));
                } else if (m.path("Expression").asText().startsWith("SELECT")) {
                    out.add(m.path("Expression").asText());
                }
            });
        });
        return out;
    }

    private static String metric(String namespace, String name, JsonNode dimensions) {
        StringBuilder text = new StringBuilder(namespace + " " + name);
        dimensions.forEach(d -> text.append(' ').append(d.path("Name").asText()).append('=').append(d.path("Value").asText()));
        return text.toString();
    }

    @Test
    void everyFunction_hasItsErrorsAndThrottlesAlarmed() {
        List<String> watched = watched();
        for (SamTemplate.Function function : template.functions()) {
            for (String metric : List.of("Errors", "Throttles")) {
                assertThat(watched).as(function.logicalId() + " " + metric)
                        .contains("AWS/Lambda " + metric + " FunctionName=" + function.logicalId());
            }
        }
    }

    @Test
    void everyTable_hasItsThrottlesAndSystemErrorsAlarmed() {
        List<String> watched = watched();
        for (SamTemplate.Table table : template.tables()) {
            for (String metric : List.of("ThrottledRequests", "SystemErrors")) {
                assertThat(watched).as(table.logicalId() + " " + metric).anyMatch(w -> w.startsWith("SELECT SUM(" + metric + ")")
                        && w.contains("\"AWS/DynamoDB\"") && w.endsWith("TableName = '${" + table.logicalId() + "}'"));
            }
        }
    }

    @Test
    void theIotRule_theBusRules_theSchedules_andTheApi_areAlarmed() {
        List<String> watched = watched();
        for (String rule : ofType("AWS::IoT::TopicRule").keySet()) {
            for (String metric : List.of("Failure", "ErrorActionFailure")) {
                assertThat(watched).as(rule + " " + metric).anyMatch(w -> w.startsWith("SELECT SUM(" + metric + ") FROM \"AWS/IoT\"")
                        && w.contains("RuleName = '${" + rule + "}'"));
            }
        }
        for (SamTemplate.EventRule rule : template.eventRules()) {
            assertThat(watched).as(rule.eventName()).anyMatch(w -> w.startsWith("SELECT SUM(FailedInvocations)")
                    && w.contains("EventBusName = '${" + rule.bus() + "}'"));
        }
        for (SamTemplate.Schedule schedule : template.schedules()) {
            assertThat(watched).as(schedule.functionLogicalId() + schedule.eventName())
                    .contains("AWS/Events FailedInvocations RuleName=" + schedule.functionLogicalId() + schedule.eventName());
        }

        JsonNode rate = props("ApiServerErrorRateAlarm").path("Metrics");
        assertThat(rate.get(0).path("Expression").asText()).contains("errors / requests");
        assertThat(watched).contains("AWS/ApiGateway 5xx ApiId=HttpApi", "AWS/ApiGateway Count ApiId=HttpApi");
        JsonNode latency = props("ApiLatencyAlarm");
        assertThat(latency.path("MetricName").asText()).isEqualTo("Latency");
        assertThat(latency.path("ExtendedStatistic").asText()).isEqualTo("p99");
    }

    @Test
    void whatTheSweepsAndTheEventsConsumerCouldNotSettle_isAlarmed() {
        assertThat(watched()).contains("Territoire SweepFailures Service=bookings-sweep",
                "Territoire SweepFailures Service=telemetry-sweep", "Territoire SweepFailures Service=feedback-sweep", "Territoire SweepFailures Service=accounts-sweep", "Territoire SweepFailures Service=consultations-sweep", "Territoire EventsFailed Service=bookings-events");
        for (SamTemplate.Function function : template.functions()) {
            String service = function.environment().get("POWERTOOLS_SERVICE_NAME");
            if (function.logicalId().endsWith("SweepFunction")) {
                assertThat(service).as(function.logicalId()).isIn("bookings-sweep", "telemetry-sweep", "feedback-sweep", "accounts-sweep", "consultations-sweep");
            }
        }
    }

    // ------------------------------------------------------------------ nothing lost

    @Test
    void everyQueue_isEncrypted_kept14Days_retained_andItsDepthAlarmed() {
        List<String> watched = watched();
        Map<String, JsonNode> queues = ofType("AWS::SQS::Queue");
        assertThat(queues).isNotEmpty();
        queues.forEach((id, queue) -> {
            JsonNode p = queue.path("Properties");
            assertThat(p.path("SqsManagedSseEnabled").asBoolean() || p.has("KmsMasterKeyId")).as(id + " encrypted").isTrue();
            assertThat(p.path("MessageRetentionPeriod").asInt()).as(id).isEqualTo(1_209_600);
            assertThat(watched).as(id + " depth").contains("AWS/SQS ApproximateNumberOfMessagesVisible QueueName=" + id + ".QueueName");
        });
    }

    @Test
    void asynchronousInvocations_keepWhatFails_inAQueueOfTheTemplate() {
        Set<String> queues = ofType("AWS::SQS::Queue").keySet();
        Set<String> asynchronous = new java.util.TreeSet<>();
        template.eventRules().forEach(r -> asynchronous.add(r.functionLogicalId()));
        template.schedules().forEach(s -> asynchronous.add(s.functionLogicalId()));
        template.iotRules().forEach(r -> asynchronous.add(r.functionLogicalId()));
        assertThat(asynchronous).contains("BookingsEventsFunction", "BookingsSweepFunction", "TelemetrySweepFunction", "TelemetryIngestFunction");

        for (String function : asynchronous) {
            JsonNode p = props(function);
            String onFailure = p.path("EventInvokeConfig").path("DestinationConfig").path("OnFailure").path("Destination").asText();
            String deadLetters = p.path("DeadLetterQueue").path("TargetArn").asText();
            String target = !onFailure.isEmpty() ? onFailure : deadLetters;
            assertThat(target).as(function + " keeps failed invocations").isNotEmpty();
            assertThat(queues).as(function).contains(target.split("\\.")[0]);
            assertThat(p.path("EventInvokeConfig").path("MaximumRetryAttempts").isInt()).as(function + " retries").isTrue();
        }
    }

    @Test
    void everyEventBridgeTarget_hasARetryPolicyAndADeadLetterQueue_thatEventBridgeMayWriteTo() {
        List<String> rules = new ArrayList<>();
        resources.properties().forEach(r -> r.getValue().path("Properties").path("Events").properties().forEach(ev -> {
            String type = ev.getValue().path("Type").asText();
            if (type.equals("EventBridgeRule") || type.equals("Schedule")) {
                JsonNode p = ev.getValue().path("Properties");
                String id = r.getKey() + ev.getKey();
                assertThat(p.path("RetryPolicy").path("MaximumRetryAttempts").isInt()).as(id + " retry policy").isTrue();
                String queue = p.path("DeadLetterConfig").path("Arn").asText().split("\\.")[0];
                assertThat(resources.path(queue).path("Type").asText()).as(id + " dead-letter queue").isEqualTo("AWS::SQS::Queue");
                rules.add(queue + " " + id + ".Arn");
            }
        }));
        assertThat(rules).isNotEmpty();
        for (String rule : rules) {
            String queue = rule.split(" ")[0];
            String ruleArn = rule.split(" ")[1];
            List<JsonNode> policies = ofType("AWS::SQS::QueuePolicy").values().stream()
                    .filter(p -> texts(p.path("Properties").path("Queues")).contains(queue)).toList();
            assertThat(policies).as(queue + " policy").hasSize(1);
            JsonNode statement = serviceStatement(policies.get(0).path("Properties").path("PolicyDocument"), "events.amazonaws.com");
            assertThat(texts(statement.path("Condition").path("ArnEquals").path("aws:SourceArn"))).as(ruleArn).contains(ruleArn);
        }
    }

    // ------------------------------------------------------------------ nothing deletable by accident

    @Test
    void everyStatefulResource_isRetained_andTablesAreDeletionProtectedAndEncryptedWithTheDataKey() {
        Set<String> stateful = Set.of("AWS::DynamoDB::Table", "AWS::Cognito::UserPool", "AWS::SQS::Queue",
                "AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::Logs::LogGroup");
        int seen = 0;
        for (var e : resources.properties()) {
            if (stateful.contains(e.getValue().path("Type").asText())) {
                seen++;
                assertThat(e.getValue().path("DeletionPolicy").asText()).as(e.getKey()).isEqualTo("Retain");
                assertThat(e.getValue().path("UpdateReplacePolicy").asText()).as(e.getKey()).isEqualTo("Retain");
            }
        }
        assertThat(seen).isGreaterThanOrEqualTo(20);
        for (SamTemplate.Table table : template.tables()) {
            assertThat(table.properties().path("DeletionProtectionEnabled").asBoolean()).as(table.logicalId()).isTrue();
            JsonNode sse = table.properties().path("SSESpecification");
            assertThat(sse.path("SSEType").asText()).as(table.logicalId()).isEqualTo("KMS");
            assertThat(resources.path(sse.path("KMSMasterKeyId").asText()).path("Type").asText()).isEqualTo("AWS::KMS::Key");
        }
        ofType("AWS::Logs::LogGroup").forEach((id, group) ->
                assertThat(group.path("Properties").path("KmsKeyId").asText()).as(id).isEqualTo("DataKey.Arn"));
        assertThat(props("PaginationSecret").path("KmsKeyId").asText()).isEqualTo("DataKey");
        assertThat(props("DataKey").path("EnableKeyRotation").asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------ abuse limits

    @Test
    void everyAnonymousRoute_isThrottledHarderThanTheDefault() {
        JsonNode api = props("HttpApi");
        int defaultRate = number(api.path("DefaultRouteSettings").path("ThrottlingRateLimit"));
        int defaultBurst = number(api.path("DefaultRouteSettings").path("ThrottlingBurstLimit"));
        List<SamTemplate.HttpRoute> anonymous = template.functions().stream().flatMap(f -> f.routes().stream())
                .filter(r -> !r.authorized()).toList();
        assertThat(anonymous).extracting(SamTemplate.HttpRoute::routeKey)
                .contains("GET /reports", "GET /calendar/{feedToken}", "GET /open311/v2/services.json");

        for (SamTemplate.HttpRoute route : anonymous) {
            JsonNode settings = api.path("RouteSettings").path(route.routeKey());
            assertThat(settings.isMissingNode()).as(route.routeKey() + " has route settings").isFalse();
            assertThat(number(settings.path("ThrottlingRateLimit"))).as(route.routeKey()).isPositive().isLessThan(defaultRate);
            assertThat(number(settings.path("ThrottlingBurstLimit"))).as(route.routeKey()).isPositive().isLessThan(defaultBurst);
        }
        // Route settings for routes that do not exist would fail the deployment.
        Set<String> keys = template.functions().stream().flatMap(f -> f.routes().stream()).map(SamTemplate.HttpRoute::routeKey)
                .collect(Collectors.toSet());
        api.path("RouteSettings").fieldNames().forEachRemaining(k -> assertThat(keys).as("route settings key").contains(k));
    }

    @Test
    void theFunctionsFloodsCanReach_haveReservedConcurrency() {
        for (String function : List.of("FeedbackFunction", "TelemetryIngestFunction")) {
            JsonNode reserved = props(function).path("ReservedConcurrentExecutions");
            assertThat(reserved.isArray()).as(function + ": !If [condition, parameter, AWS::NoValue]").isTrue();
            assertThat(template.root().path("Conditions").has(reserved.get(0).asText())).isTrue();
            assertThat(number(reserved.get(1))).as(function).isPositive();
            assertThat(reserved.get(2).asText()).isEqualTo("AWS::NoValue");
        }
    }

    @Test
    void cloudFront_isOptional_forwardsToTheApiUncached_andTakesAWebAcl() {
        JsonNode distribution = resources.path("ApiDistribution");
        assertThat(distribution.path("Type").asText()).isEqualTo("AWS::CloudFront::Distribution");
        assertThat(distribution.path("Condition").asText()).isEqualTo("HasCloudFront");
        assertThat(template.root().path("Parameters").path("EnableCloudFront").path("Default").asText()).isEqualTo("false");
        JsonNode config = distribution.path("Properties").path("DistributionConfig");
        assertThat(texts(config.path("WebACLId"))).containsExactly("HasWebAcl", "CloudFrontWebAclArn", "AWS::NoValue");
        assertThat(template.root().path("Parameters").path("CloudFrontWebAclArn").path("AllowedPattern").asText()).contains("us-east-1");
        assertThat(config.path("Origins").get(0).path("DomainName").asText()).startsWith("${HttpApi}.execute-api.");
        JsonNode behaviour = config.path("DefaultCacheBehavior");
        assertThat(behaviour.path("CachePolicyId").asText()).isEqualTo("4135ea2d-6df8-44a3-9df3-4b5a84be39ad"); // CachingDisabled
        assertThat(behaviour.path("ViewerProtocolPolicy").asText()).isEqualTo("https-only");
    }

    // ------------------------------------------------------------------ checks in the test command

    @Test
    void theTestCommand_runsCfnLintWithInformationalChecks_andCheckov_whoseEverySkipSaysWhy() throws IOException {
        Path root = ProjectRoot.find();
        String script = Files.readString(root.resolve("run-tests.sh"));
        assertThat(script).contains("cfn-lint --include-checks I -- template.yaml");
        assertThat(script).contains("checkov --config-file .checkov.yaml");

        List<String> config = Files.readAllLines(root.resolve(".checkov.yaml"));
        assertThat(config).contains("  - template.yaml", "  - cloudformation");
        for (int i = 0; i < config.size(); i++) {
            if (config.get(i).matches("\\s+- CKV\\w+")) {
                assertThat(config.get(i - 1).strip()).as("reason above " + config.get(i).strip()).startsWith("#");
            }
        }
        assertThat(Files.readString(root.resolve("infrastructure/local/requirements-checkov.txt"))).containsPattern("(?m)^checkov==\\d+\\.\\d+\\.\\d+$");
    }
}
