package org.territoire.local.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One lever of the cold start, measured on top of the SDK floor in a fresh JVM whose classpath
 * is a function's package: the floor's work (the DynamoDB client, one {@code GetItem}), then
 * the lever's first use. The benchmark subtracts the floor run on the same classpath, so each
 * figure is what that part adds to a cold start. Prints {@code RESULT cpuMs leverCpuMs}: the
 * process's CPU time, and the part of it spent from the floor's end to the lever's (in the same
 * process, so free of the spread between processes that a loaded machine gives).
 */
public final class LeverProbe {
    private LeverProbe() {
    }

    public static void main(String[] args) throws Exception {
        String lever = args[0];
        DynamoDbClient dynamo = lever.startsWith("kernel-") ? org.territoire.shared.ddb.Aws.dynamoDb()
                : DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .region(Region.of(System.getenv("AWS_REGION")))
                .build();
        dynamo.getItem(r -> r.tableName(System.getenv("FLOOR_TABLE"))
                .key(Map.of("pk", AttributeValue.fromS("floor"), "sk", AttributeValue.fromS("floor"))));
        long floorCpuMs = cpuMs();
        switch (lever) {
            case "floor", "kernel-client" -> { }
            case "jackson-plain" -> com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .writeValueAsString(Map.of("at", Instant.now().toString(), "n", 1));
            // The plain mapper and the java.time module, without the kernel's strict configuration.
            case "jackson-time" -> com.fasterxml.jackson.databind.json.JsonMapper.builder()
                    .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule()).build()
                    .writeValueAsString(Map.of("at", Instant.now(), "n", 1));
            case "jackson-kernel" -> org.territoire.shared.json.Json.write(Map.of("at", Instant.now(), "n", 1));
            // The kernel's mapper on a request's whole JSON, trees only: an HTTP API event read into a JsonNode, an
            // answer of two items built as an ObjectNode and written (no data-binding of a type).
            case "jackson-event-tree" -> {
                var event = org.territoire.shared.json.Json.tree(EVENT);
                var answer = org.territoire.shared.json.Json.MAPPER.createObjectNode();
                var items = answer.putArray("items");
                for (int i = 0; i < 2; i++) {
                    items.addObject().put("id", event.path("requestContext").path("requestId").asText() + i)
                            .put("name", "Salle " + i).put("capacity", 10 + i).put("createdAt", Instant.EPOCH.toString());
                }
                org.territoire.shared.json.Json.write(answer);
            }
            // Jackson's core alone (no databind): the same event's tokens read, the same answer generated.
            case "jackson-streaming" -> {
                var factory = new com.fasterxml.jackson.core.JsonFactory();
                String requestId = "";
                try (var parser = factory.createParser(EVENT)) {
                    for (var t = parser.nextToken(); t != null; t = parser.nextToken()) {
                        if (t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME && parser.currentName().equals("requestId")) {
                            parser.nextToken();
                            requestId = parser.getText();
                        }
                    }
                }
                var out = new java.io.StringWriter();
                try (var g = factory.createGenerator(out)) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("items");
                    for (int i = 0; i < 2; i++) {
                        g.writeStartObject();
                        g.writeStringField("id", requestId + i);
                        g.writeStringField("name", "Salle " + i);
                        g.writeNumberField("capacity", 10 + i);
                        g.writeStringField("createdAt", Instant.EPOCH.toString());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
            }
            // The same event read into a tree, the same answer as the routes write it: records (bean serializers,
            // found by introspection) with an Instant and a list.
            case "jackson-event-pojo" -> {
                var event = org.territoire.shared.json.Json.tree(EVENT);
                var items = new java.util.ArrayList<Item>();
                for (int i = 0; i < 2; i++) {
                    items.add(new Item(event.path("requestContext").path("requestId").asText() + i, "Salle " + i, 10 + i, Instant.EPOCH));
                }
                org.territoire.shared.json.Json.write(new Page(items, null));
            }
            // The kernel's JSON-lines logger (SLF4J bound to it), one line inside an invocation.
            case "logging" -> org.territoire.shared.observability.Logging.withLogging(new Context(), () -> {
                org.slf4j.LoggerFactory.getLogger("org.territoire.lever").warn("lever {}", lever);
                return 1;
            });
            // The kernel's EMF writer, one metric flushed.
            case "metrics" -> {
                org.territoire.shared.observability.Observability.count("Lever");
                org.territoire.shared.observability.Observability.flush();
            }
            case "secrets-manager" -> org.territoire.shared.ddb.PaginationKey.load();
            case "enhanced-client" -> Class.forName("org.territoire.feedback.store.DynamoServiceRepository", true,
                    LeverProbe.class.getClassLoader());
            case "kernel-all" -> {
                // What the kernel adds before a first request: its client, mapper, logging and metrics.
                org.territoire.shared.json.Json.write(Map.of("at", Instant.now(), "n", 1));
                org.territoire.shared.observability.Logging.withLogging(new Context(), () -> {
                    org.slf4j.LoggerFactory.getLogger("org.territoire.lever").warn("lever {}", lever);
                    return 1;
                });
                org.territoire.shared.observability.Observability.count("Lever");
                org.territoire.shared.observability.Observability.flush();
            }
            default -> throw new IllegalArgumentException("no lever " + lever);
        }
        long cpuMs = cpuMs();
        System.out.printf("RESULT %d %d%n", cpuMs, cpuMs - floorCpuMs);
    }

    /** An HTTP API (payload 2.0) event as a first request brings it. */
    static final String EVENT = """
            {"version":"2.0","routeKey":"GET /resources","rawPath":"/resources","rawQueryString":"limit=5",
             "headers":{"accept":"application/json","user-agent":"lever"},"queryStringParameters":{"limit":"5"},
             "requestContext":{"requestId":"lever","http":{"method":"GET","path":"/resources"},
               "authorizer":{"jwt":{"claims":{"sub":"lever","cognito:groups":"[resident]","custom:district":"centre"}}}},
             "isBase64Encoded":false}""";

    record Item(String id, String name, int capacity, Instant createdAt) {
    }

    record Page(java.util.List<Item> items, String nextToken) {
    }

    private static long cpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    private static final class Context implements com.amazonaws.services.lambda.runtime.Context {
        public String getAwsRequestId() { return "lever"; }
        public String getLogGroupName() { return "/aws/lambda/lever"; }
        public String getLogStreamName() { return "lever"; }
        public String getFunctionName() { return "lever"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:local:000000000000:function:lever"; }
        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() { return null; }
        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 15_000; }
        public int getMemoryLimitInMB() { return 1024; }
        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() { return null; }
    }
}
