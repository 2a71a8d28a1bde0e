package org.territoire.shared.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.json.Json;

/**
 * An HTTP answer, rendered as the payload 2.0 response that API Gateway expects.
 *
 * <p>{@code replay} is what an Idempotency-Key retry may be answered with, hence what the
 * idempotency store keeps; {@code null} means the answer itself. An answer that issues a secret
 * (a private key, an api_key, a secret URL) is built with {@link #createdWithSecret}, whose
 * replay leaves the secret out: a secret is shown once and stored nowhere in clear.
 */
public record ApiResponse(int statusCode, Map<String, String> headers, String body, ApiResponse replay) {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Base of the problem type URIs; each is documented in docs/errors.md. */
    public static final String PROBLEM_BASE = "https://territoire.example/problems/";
    /** The member a replayed answer carries in place of the secret it left out. */
    public static final String SECRET_SHOWN_ONCE = "secretShownOnce";
    /**
     * Field names that say "credential". A replay never keeps such a field, even from a route
     * that forgot {@link #createdWithSecret}: the store fails closed.
     */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("privatekey|apikey|api_key|secret|password");

    /** The members {@link #problem} writes itself; an extension never overwrites them. */
    static final java.util.Set<String> PROBLEM_MEMBERS = java.util.Set.of("type", "title", "status", "detail", "instance", "errors");

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int statusCode, Map<String, String> headers, String body) {
        this(statusCode, headers, body, null);
    }

    public static ApiResponse ok(Object body) {
        return json(200, body);
    }

    public static ApiResponse created(Object body, String location) {
        return new ApiResponse(201, Map.of("content-type", JSON, "location", location), Json.write(body));
    }

    /**
     * A 201 whose body carries a secret at each of {@code secretFields} (dotted paths such as
     * {@code credentials.privateKey}). The client gets it whole, once; the replay kept for
     * Idempotency-Key retries has those fields removed, along with every other string and header
     * (the {@code location} of a secret URL, say) that contains a secret, and says
     * {@code "secretShownOnce": true}. A named field that is absent or empty simply holds no
     * secret in this answer.
     */
    public static ApiResponse createdWithSecret(Object body, String location, String... secretFields) {
        if (secretFields.length == 0) {
            throw new IllegalArgumentException("name the fields that hold the secret");
        }
        JsonNode tree = Json.MAPPER.valueToTree(body);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("an answer with a secret must be a JSON object");
        }
        List<String> secrets = new ArrayList<>();
        ObjectNode redacted = object.deepCopy();
        for (String field : secretFields) {
            String[] steps = field.split("\\.");
            JsonNode parent = redacted;
            for (int i = 0; i < steps.length - 1 && parent != null; i++) {
                parent = parent.get(steps[i]);
            }
            if (parent instanceof ObjectNode holder && holder.has(steps[steps.length - 1])) {
                JsonNode secret = holder.remove(steps[steps.length - 1]);
                if (secret.isTextual() && !secret.asText().isEmpty()) {
                    secrets.add(secret.asText());
                } else if (!secret.isNull()) {
                    throw new IllegalArgumentException(field + " must be a string to be a secret");
                }
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", JSON);
        headers.put("location", location);
        ApiResponse answer = new ApiResponse(201, headers, Json.write(object));
        return secrets.isEmpty() ? answer : answer.withReplay(redact(answer, redacted, secrets));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), null);
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of("content-type", JSON), Json.write(body));
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, Map.of("content-type", contentType), body);
    }

    /** RFC 9457 problem details; field errors go in an {@code errors} extension member. */
    public static ApiResponse problem(ApiException e, String instance) {
        ObjectNode problem = Json.MAPPER.createObjectNode();
        problem.put("type", PROBLEM_BASE + e.type());
        problem.put("title", e.title());
        problem.put("status", e.status());
        problem.put("detail", e.detail());
        if (instance != null && !instance.isBlank()) {
            problem.put("instance", instance);
        }
        if (!e.errors().isEmpty()) {
            var errors = problem.putArray("errors");
            for (FieldError error : e.errors()) {
                errors.addObject().put("field", error.field()).put("pointer", error.pointer()).put("detail", error.detail());
            }
        }
        // RFC 9457 §3.2: extension members sit beside the standard ones and must not change
        // them; a detail named "status" or "type" would otherwise make a client read a
        // different problem than the one the HTTP status says.
        e.extensions().forEach((k, v) -> {
            if (!PROBLEM_MEMBERS.contains(k)) {
                problem.set(k, Json.MAPPER.valueToTree(v));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", PROBLEM_JSON);
        if (e.status() == 429 || e.status() == 503) {
            headers.put("retry-after", "1");
        }
        return new ApiResponse(e.status(), headers, Json.write(problem));
    }

    /** This answer with one more header, on its replay too. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(statusCode, copy, body, replay == null ? null : replay.withHeader(name, value));
    }

    private ApiResponse withReplay(ApiResponse replay) {
        return new ApiResponse(statusCode, headers, body, replay);
    }

    /**
     * What the idempotency store may keep and answer a retry with: the replay if this answer
     * has one, else this answer, in both cases without any credential-named JSON member.
     */
    public ApiResponse replayable() {
        ApiResponse candidate = replay == null ? this : replay;
        if (candidate.body == null || !candidate.headers.getOrDefault("content-type", "").contains("json")) {
            return candidate;
        }
        JsonNode tree;
        try {
            tree = Json.tree(candidate.body);
        } catch (IllegalArgumentException notJson) {
            return candidate;
        }
        List<String> secrets = new ArrayList<>();
        return dropCredentials(tree, secrets) ? redact(candidate, tree, secrets) : candidate;
    }

    /** The payload 2.0 response object, uncompressed. */
    public ObjectNode toEvent() {
        return toEvent(null);
    }

    /** Answers whose body is at least this long are gzipped for a client that accepts it. */
    public static final int COMPRESS_FROM_BYTES = 1024;

    /**
     * The payload 2.0 response object for a client that sent this {@code Accept-Encoding}
     * (null: none). HTTP APIs do not compress answers themselves (only REST APIs have
     * minimumCompressionSize, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gzip-compression-decompression.html),
     * so a body of {@link #COMPRESS_FROM_BYTES} or more goes out gzipped, base64-encoded in the
     * event as binary bodies are, when the client accepts gzip. Such an answer says
     * {@code Vary: Accept-Encoding} whether or not it was compressed, so a cache keeps both.
     */
    public ObjectNode toEvent(String acceptEncoding) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("statusCode", statusCode);
        ObjectNode h = node.putObject("headers");
        headers.forEach(h::put);
        byte[] bytes = body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes != null && bytes.length >= COMPRESS_FROM_BYTES && !headers.containsKey("content-encoding")) {
            h.put("vary", "Accept-Encoding");
            if (acceptsGzip(acceptEncoding)) {
                h.put("content-encoding", "gzip");
                node.put("body", java.util.Base64.getEncoder().encodeToString(gzip(bytes)));
                node.put("isBase64Encoded", true);
                return node;
            }
        }
        if (body != null) {
            node.put("body", body);
        }
        node.put("isBase64Encoded", false);
        return node;
    }

    /** RFC 9110 §12.5.3: gzip (or *) listed without q=0. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        boolean star = false;
        for (String part : acceptEncoding.split(",")) {
            String[] params = part.split(";");
            String coding = params[0].strip().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].strip().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.startsWith("q=")) {
                    refused = p.substring(2).matches("0(\\.0{0,3})?");
                }
            }
            if ("gzip".equals(coding) || "x-gzip".equals(coding)) {
                return !refused;
            }
            if ("*".equals(coding)) {
                star = !refused;
            }
        }
        return star;
    }

    /**
     * Deflate's fastest level: on a page of 5,000 readings it keeps 11.8 % of the bytes against
     * 10.9 % at the default level, for about a tenth of the time (docs/benchmarks.md).
     */
    private static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4 + 64);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out, 8192) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            zip.write(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Never the body: a logged answer must not carry what it issued. */
    @Override
    public String toString() {
        return "ApiResponse[" + statusCode + ", headers=" + headers.keySet() + (replay == null ? "" : ", redacted replay") + "]";
    }

    private static ApiResponse redact(ApiResponse answer, JsonNode tree, List<String> secrets) {
        dropContaining(tree, secrets);
        if (tree instanceof ObjectNode object) {
            object.put(SECRET_SHOWN_ONCE, true);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        answer.headers.forEach((name, value) -> {
            if (secrets.stream().noneMatch(value::contains)) {
                headers.put(name, value);
            }
        });
        return new ApiResponse(answer.statusCode, headers, Json.write(tree));
    }

    /** Removes every string that contains a secret, wherever it is (a URL built on a secret path, say). */
    private static void dropContaining(JsonNode node, List<String> secrets) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                JsonNode value = fields.next().getValue();
                if (value.isTextual() && secrets.stream().anyMatch(value.asText()::contains)) {
                    fields.remove();
                } else {
                    dropContaining(value, secrets);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode value = array.get(i);
                if (value.isTextual() && secrets.stream().anyMatch(value.asText()::contains)) {
                    array.remove(i);
                } else {
                    dropContaining(value, secrets);
                }
            }
        }
    }

    /** Removes every credential-named member, collecting the strings it held; true if it removed any. */
    private static boolean dropCredentials(JsonNode node, List<String> secrets) {
        boolean removed = false;
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey().toLowerCase(Locale.ROOT);
                if (!field.getKey().equals(SECRET_SHOWN_ONCE) && CREDENTIAL_NAME.matcher(name).find()) {
                    if (field.getValue().isTextual() && !field.getValue().asText().isEmpty()) {
                        secrets.add(field.getValue().asText());
                    }
                    fields.remove();
                    removed = true;
                } else {
                    removed |= dropCredentials(field.getValue(), secrets);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode value : array) {
                removed |= dropCredentials(value, secrets);
            }
        }
        return removed;
    }
}
