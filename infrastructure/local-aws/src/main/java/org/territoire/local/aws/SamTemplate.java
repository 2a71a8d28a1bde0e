package org.territoire.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml read as the local runtime needs it: its tables, its functions with their
 * environment and HTTP routes. CloudFormation's short-form tags (!Ref, !GetAtt, !Sub) are
 * read as their argument, so {@code !Ref FeedbackTable} yields the logical id
 * {@code FeedbackTable}, which is also the local table's name.
 */
public final class SamTemplate {

    public record Table(String logicalId, JsonNode properties) {
    }

    /** An HttpApi event; {@code authorized} unless it opts out of the default JWT authorizer. */
    public record HttpRoute(String eventName, String method, String path, boolean authorized) {
        public String routeKey() {
            return method + " " + path;
        }
    }

    public record Function(String logicalId, String handler, String codeUri, Map<String, String> environment,
                           List<HttpRoute> routes, List<String> policyTables) {
        public String handlerClass() {
            int at = handler.indexOf("::");
            return at < 0 ? handler : handler.substring(0, at);
        }
    }

    /**
     * An IoT topic rule and the function its Lambda action invokes: an AWS::IoT::TopicRule
     * resource (its RuleName, devices publish to {@code $aws/rules/<name>/...} for Basic
     * Ingest), or a SAM IoTRule event (SAM names that rule after the function and event).
     */
    public record IotRule(String name, String sql, String functionLogicalId) {
    }

    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try {
            return new SamTemplate(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static SamTemplate load() {
        return load(ProjectRoot.find().resolve("template.yaml"));
    }

    public List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> {
            if ("AWS::DynamoDB::Table".equals(e.getValue().path("Type").asText())) {
                tables.add(new Table(e.getKey(), e.getValue().path("Properties")));
            }
        });
        return tables;
    }

    public List<Function> functions() {
        Map<String, String> globalEnv = strings(root.path("Globals").path("Function").path("Environment").path("Variables"));
        List<Function> functions = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> {
            JsonNode resource = e.getValue();
            if (!"AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                return;
            }
            JsonNode props = resource.path("Properties");
            Map<String, String> env = new LinkedHashMap<>(globalEnv);
            env.putAll(strings(props.path("Environment").path("Variables")));
            List<HttpRoute> routes = new ArrayList<>();
            props.path("Events").properties().forEach(ev -> {
                if ("HttpApi".equals(ev.getValue().path("Type").asText())) {
                    JsonNode p = ev.getValue().path("Properties");
                    boolean open = "NONE".equals(p.path("Auth").path("Authorizer").asText());
                    routes.add(new HttpRoute(ev.getKey(), p.path("Method").asText().toUpperCase(), p.path("Path").asText(), !open));
                }
            });
            List<String> policyTables = new ArrayList<>();
            props.path("Policies").forEach(policy -> policy.properties().forEach(p -> {
                if (p.getValue().has("TableName")) {
                    policyTables.add(p.getValue().get("TableName").asText());
                }
                // A statement of its own on a table: its DynamoDB actions' resources name the table's Arn.
                if (p.getKey().equals("Statement")) {
                    p.getValue().forEach(statement -> {
                        if (statement.path("Action").toString().contains("dynamodb:")) {
                            JsonNode resources = statement.path("Resource");
                            (resources.isArray() ? resources : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(resources)).forEach(r -> {
                                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\$?\\{?(\\w+)\\.Arn").matcher(r.asText());
                                if (m.find()) {
                                    policyTables.add(m.group(1));
                                }
                            });
                        }
                    });
                }
            }));
            functions.add(new Function(e.getKey(), props.path("Handler").asText(), props.path("CodeUri").asText(),
                    env, routes, policyTables));
        });
        return functions;
    }

    public List<IotRule> iotRules() {
        List<IotRule> rules = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> {
            JsonNode resource = e.getValue();
            if ("AWS::IoT::TopicRule".equals(resource.path("Type").asText())) {
                JsonNode props = resource.path("Properties");
                JsonNode payload = props.path("TopicRulePayload");
                if (payload.path("RuleDisabled").asBoolean(false)) {
                    return;
                }
                String name = props.path("RuleName").asText(e.getKey());
                payload.path("Actions").forEach(action -> {
                    if (action.has("Lambda")) {
                        // !GetAtt Fn.Arn or !Ref Fn.Alias: the logical id is what precedes the dot.
                        String target = action.path("Lambda").path("FunctionArn").asText().split("\\.")[0];
                        rules.add(new IotRule(name, payload.path("Sql").asText(), target));
                    }
                });
            } else if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                resource.path("Properties").path("Events").properties().forEach(ev -> {
                    if ("IoTRule".equals(ev.getValue().path("Type").asText())) {
                        rules.add(new IotRule(e.getKey() + ev.getKey(), ev.getValue().path("Properties").path("Sql").asText(), e.getKey()));
                    }
                });
            }
        });
        return rules;
    }

    /** A SAM EventBridgeRule event: events on {@code bus} matching {@code pattern} invoke the function. */
    public record EventRule(String functionLogicalId, String eventName, String bus, JsonNode pattern) {
    }

    public List<EventRule> eventRules() {
        List<EventRule> rules = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> e.getValue().path("Properties").path("Events").properties().forEach(ev -> {
            if ("EventBridgeRule".equals(ev.getValue().path("Type").asText())) {
                JsonNode p = ev.getValue().path("Properties");
                rules.add(new EventRule(e.getKey(), ev.getKey(), p.path("EventBusName").asText("default"), p.path("Pattern")));
            }
        }));
        return rules;
    }

    /** A SAM S3 event: objects created in the template's bucket under {@code prefix} invoke the function. */
    public record S3Event(String functionLogicalId, String eventName, String bucketLogicalId, String prefix) {
    }

    public List<S3Event> s3Events() {
        List<S3Event> events = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> e.getValue().path("Properties").path("Events").properties().forEach(ev -> {
            if ("S3".equals(ev.getValue().path("Type").asText())) {
                JsonNode p = ev.getValue().path("Properties");
                String prefix = "";
                for (JsonNode rule : p.path("Filter").path("S3Key").path("Rules")) {
                    if ("prefix".equals(rule.path("Name").asText())) {
                        prefix = rule.path("Value").asText();
                    }
                }
                if (!p.path("Events").toString().contains("s3:ObjectCreated:")) {
                    throw new IllegalArgumentException(e.getKey() + "." + ev.getKey() + ": the local runtime delivers ObjectCreated events only");
                }
                events.add(new S3Event(e.getKey(), ev.getKey(), p.path("Bucket").asText(), prefix));
            }
        }));
        return events;
    }

    /** A SAM Schedule event: an EventBridge rule that invokes its function on a {@code rate(...)} or {@code cron(...)}. */
    public record Schedule(String functionLogicalId, String eventName, String expression) {
    }

    public List<Schedule> schedules() {
        List<Schedule> schedules = new ArrayList<>();
        root.path("Resources").properties().forEach(e -> e.getValue().path("Properties").path("Events").properties().forEach(ev -> {
            if ("Schedule".equals(ev.getValue().path("Type").asText())) {
                schedules.add(new Schedule(e.getKey(), ev.getKey(), ev.getValue().path("Properties").path("Schedule").asText()));
            }
        }));
        return schedules;
    }

    public Function function(String logicalId) {
        return functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no function " + logicalId + " in the template"));
    }

    /** The HttpApi's CORS configuration (empty node when none). */
    public JsonNode cors() {
        for (var e : root.path("Resources").properties()) {
            if ("AWS::Serverless::HttpApi".equals(e.getValue().path("Type").asText())) {
                return e.getValue().path("Properties").path("CorsConfiguration");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The raw template, for contract tests. */
    public JsonNode root() {
        return root;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
