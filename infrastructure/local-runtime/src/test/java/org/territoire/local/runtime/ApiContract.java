package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.shared.json.Json;

/**
 * api/openapi.yaml as a checker: does an answer (status, media type, body) match what the
 * description says its operation answers? Schemas are checked as JSON Schema 2020-12 (what
 * OpenAPI 3.1 uses), formats (date-time, date, uri) asserted.
 */
final class ApiContract {
    /** JSON Schema 2020-12 plus the OpenAPI members around the schemas, which say nothing to validate. */
    private static final JsonMetaSchema META = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keywords(java.util.stream.Stream.of("openapi", "info", "servers", "security", "tags", "paths", "components",
                    "x-checked", "example", "discriminator", "xml", "externalDocs")
                    .<com.networknt.schema.Keyword>map(NonValidationKeyword::new).toList())
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(META).defaultMetaSchemaIri(META.getIri()));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final JsonNode doc;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    ApiContract(JsonNode doc) {
        this.doc = doc;
    }

    static ApiContract load() {
        return new ApiContract(ApiDocs.ofProject().tree());
    }

    JsonNode doc() {
        return doc;
    }

    /** API Gateway's ANY route is described with its OpenAPI extension, as the gateway imports it. */
    static final String ANY_METHOD = "x-amazon-apigateway-any-method";

    private static String operationKey(String method) {
        return "ANY".equalsIgnoreCase(method) ? ANY_METHOD : method.toLowerCase(Locale.ROOT);
    }

    Optional<JsonNode> operation(String method, String template) {
        JsonNode op = doc.path("paths").path(template).path(operationKey(method));
        return op.isMissingNode() ? Optional.empty() : Optional.of(op);
    }

    /** What is wrong with this answer of {@code method template}; empty when it matches the description. */
    List<String> check(String method, String template, int status, String contentType, String body) {
        List<String> problems = new ArrayList<>();
        String where = method + " " + template + " " + status;
        Optional<JsonNode> op = operation(method, template);
        if (op.isEmpty()) {
            return List.of(method + " " + template + " is not in the description");
        }
        JsonNode response = op.get().path("responses").path(String.valueOf(status));
        String pointer = "/paths/" + escape(template) + "/" + operationKey(method) + "/responses/" + status;
        if (response.isMissingNode()) {
            return List.of(where + ": status not described (described: " + fieldNames(op.get().path("responses")) + ")");
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = doc.at(pointer);
        }
        boolean empty = body == null || body.isEmpty();
        if (!response.has("content")) {
            if (!empty) {
                problems.add(where + ": described without a body, answered one");
            }
            return problems;
        }
        if (empty) {
            problems.add(where + ": described with a body, answered none");
            return problems;
        }
        String media = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        JsonNode content = response.path("content").path(media);
        if (content.isMissingNode()) {
            problems.add(where + ": media type " + media + " not described (described: " + fieldNames(response.path("content")) + ")");
            return problems;
        }
        if (media.endsWith("xml")) {
            // GeoReport's XML: at least well-formed, read by the JDK's parser with DTDs refused.
            try {
                javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newDefaultInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (Exception e) {
                problems.add(where + ": body is not well-formed XML: " + e.getMessage());
            }
        }
        if (media.endsWith("json") && content.has("schema")) {
            JsonNode value;
            try {
                value = Json.tree(body);
            } catch (RuntimeException e) {
                problems.add(where + ": body is not JSON");
                return problems;
            }
            String schemaPointer = pointer + "/content/" + escape(media) + "/schema";
            for (ValidationMessage m : schema(schemaPointer).validate(value)) {
                problems.add(where + ": " + m.getMessage());
            }
        }
        return problems;
    }

    /**
     * What is wrong with one exchange the local HTTP API served, as far as the description says
     * what the API must answer: the answer's status, media type, headers and body, and that a
     * request body the description refuses was not accepted (a 2xx). A request the description
     * refuses is not itself wrong: negative tests send them on purpose. Routes the description
     * does not have (test templates' own) are not checked here; OpenApiContractTest holds the
     * template's routes equal to the description's.
     */
    List<String> check(HttpApiEmulator.Exchange exchange) {
        if (operation(exchange.method(), exchange.route()).isEmpty()) {
            return List.of();
        }
        String body;
        try {
            body = new String("gzip".equalsIgnoreCase(exchange.header("content-encoding"))
                    ? new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(exchange.body())).readAllBytes()
                    : exchange.body(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return List.of(exchange.method() + " " + exchange.route() + " " + exchange.status() + ": body is not valid gzip");
        }
        String contentType = exchange.header("content-type");
        List<String> problems = new ArrayList<>(check(exchange.method(), exchange.route(), exchange.status(), contentType, body));
        problems.addAll(checkHeaders(exchange));
        if (contentType != null && contentType.contains("json") && !body.isEmpty()) {
            problems.addAll(checkTimes(exchange.method() + " " + exchange.route() + " " + exchange.status(), body));
        }
        String requestType = exchange.requestHeaders().getOrDefault("content-type", "");
        if (exchange.status() >= 200 && exchange.status() < 300 && requestType.contains("json") && exchange.requestBody().length > 0) {
            String sent = new String(exchange.requestBody(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                Json.tree(sent);
                checkRequest(exchange.method(), exchange.route(), sent)
                        .forEach(p -> problems.add(p + " (answered " + exchange.status() + ": the API accepted what the description refuses)"));
            } catch (IllegalArgumentException notJson) {
                problems.add(exchange.method() + " " + exchange.route() + " accepted a body that is not JSON (" + exchange.status() + ")");
            }
        }
        return problems;
    }

    /** Headers the description says an answer carries (required ones): present. */
    private List<String> checkHeaders(HttpApiEmulator.Exchange exchange) {
        JsonNode response = operation(exchange.method(), exchange.route()).get().path("responses").path(String.valueOf(exchange.status()));
        if (response.has("$ref")) {
            response = doc.at(response.get("$ref").asText().substring(1));
        }
        List<String> problems = new ArrayList<>();
        response.path("headers").properties().forEach(h -> {
            JsonNode header = h.getValue().has("$ref") ? doc.at(h.getValue().get("$ref").asText().substring(1)) : h.getValue();
            if (header.path("required").asBoolean(false) && exchange.header(h.getKey()) == null) {
                problems.add(exchange.method() + " " + exchange.route() + " " + exchange.status() + ": header " + h.getKey() + " missing");
            }
        });
        return problems;
    }

    /** An ISO 8601 date-time, as a JSON string looks when it is one. */
    private static final java.util.regex.Pattern DATE_TIME = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*");
    /** The API's one form of a time (docs/api.md): UTC, to the millisecond. */
    private static final java.util.regex.Pattern UTC_MILLIS = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    /** Every time in a JSON answer is ISO 8601 UTC with exactly three fractional digits. */
    static List<String> checkTimes(String where, String body) {
        List<String> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = Json.tree(body);
        } catch (IllegalArgumentException e) {
            return problems;
        }
        times(tree, "$", where, problems);
        return problems;
    }

    private static void times(JsonNode node, String at, String where, List<String> problems) {
        if (node.isTextual()) {
            String text = node.textValue();
            if (DATE_TIME.matcher(text).matches() && !UTC_MILLIS.matcher(text).matches()) {
                problems.add(where + ": " + at + " is a time not in UTC to the millisecond: " + text);
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> times(e.getValue(), at + "." + e.getKey(), where, problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                times(node.get(i), at + "[" + i + "]", where, problems);
            }
        }
    }

    /** What is wrong with this request body for {@code method template} (the description must accept what the API accepts). */
    List<String> checkRequest(String method, String template, String body) {
        Optional<JsonNode> op = operation(method, template);
        if (op.isEmpty() || !op.get().has("requestBody")) {
            return List.of();
        }
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/requestBody/content/application~1json/schema";
        if (doc.at(pointer).isMissingNode()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema(pointer).validate(withoutNullMembers(Json.tree(body)))) {
            problems.add(method + " " + template + " request: " + m.getMessage());
        }
        return problems;
    }

    /**
     * A request member given as null is read as absent (the description's info says so: JSON
     * Schema cannot say it once for all). A required member given as null still fails.
     */
    static JsonNode withoutNullMembers(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode copy = Json.MAPPER.createObjectNode();
            object.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    copy.set(e.getKey(), withoutNullMembers(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            var copy = Json.MAPPER.createArrayNode();
            node.forEach(v -> copy.add(withoutNullMembers(v)));
            return copy;
        }
        return node;
    }

    /** What is wrong with the examples of the shared schemas and of the request bodies. */
    List<String> checkExamples() {
        List<String> problems = new ArrayList<>();
        doc.path("components").path("schemas").properties().forEach(named -> named.getValue().path("examples").forEach(example -> {
            for (ValidationMessage m : schema("/components/schemas/" + escape(named.getKey())).validate(example)) {
                problems.add(named.getKey() + " example: " + m.getMessage());
            }
        }));
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            JsonNode json = op.getValue().path("requestBody").path("content").path("application/json");
            if (json.has("example")) {
                String pointer = "/paths/" + escape(path.getKey()) + "/" + op.getKey() + "/requestBody/content/application~1json/schema";
                for (ValidationMessage m : schema(pointer).validate(json.get("example"))) {
                    problems.add(op.getKey() + " " + path.getKey() + " example: " + m.getMessage());
                }
            }
        }));
        return problems;
    }

    private JsonSchema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> {
            // The whole description is the schema resource, so that "#/components/..." references resolve in it.
            ObjectNode root = doc.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            // The target is copied to a plain name: path keys ("/services/{serviceId}") are awkward in a URI fragment.
            root.set("x-checked", doc.at(p));
            root.put("$ref", "#/x-checked");
            return FACTORY.getSchema(root, CONFIG);
        });
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
