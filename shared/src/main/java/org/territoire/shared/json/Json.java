package org.territoire.shared.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.territoire.shared.error.ApiException;
import org.territoire.shared.error.FieldError;

/**
 * The one JSON mapper of a function, built once. Request bodies are strict: an unknown
 * field, a wrong type or an unknown enum value is a 400 that names the field.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    static {
        // Bound what a single request can make us parse.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(256 * 1024).maxNestingDepth(64).build());
    }

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static JsonNode tree(InputStream in) {
        try {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a request body into its command type, or fails with a 400 naming the offending field. */
    public static <T> T readBody(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "a JSON object is required");
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "is not valid JSON");
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw ApiException.badRequest("body", "a JSON object is required");
        }
        if (!tree.isObject()) {
            throw ApiException.badRequest("body", "must be a JSON object");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw FieldError.nameable(field) ? ApiException.badRequest(field, "unknown field")
                    : ApiException.badRequest("body", "has a member that is not a field of this request");
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            String detail = target != null && target.isEnum()
                    ? "must be one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                            .collect(Collectors.joining(", "))
                    : "must be a " + describe(target == null ? "value" : target.getSimpleName());
            throw ApiException.badRequest(named(path(e)), detail);
        } catch (MismatchedInputException e) {
            String field = path(e);
            String expected = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
            throw ApiException.badRequest(named(field), "must be a " + describe(expected));
        } catch (JsonProcessingException e) {
            String field = path(e instanceof JsonMappingException m ? m : null);
            throw ApiException.badRequest(named(field), "is invalid");
        }
    }

    /**
     * The field to name in a problem. Jackson's own messages are never used: they quote the
     * offending input. A path is named only when it looks like one of our field names (a member
     * of a map could be anything the client sent).
     */
    private static String named(String path) {
        return FieldError.nameable(path) ? path : "body";
    }

    private static String describe(String javaType) {
        return switch (javaType) {
            case "String" -> "string";
            case "int", "Integer", "long", "Long" -> "whole number";
            case "double", "Double", "BigDecimal" -> "number";
            case "boolean", "Boolean" -> "boolean";
            case "List", "Set" -> "list";
            default -> "JSON object";
        };
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        if (e == null) {
            return "";
        }
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (!sb.isEmpty()) {
                sb.append('.');
            }
            sb.append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return sb.toString();
    }
}
