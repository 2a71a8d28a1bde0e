package org.territoire.shared.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;

/**
 * The one JSON mapper of a function, built once. Request bodies are strict: an unknown
 * field, a wrong type or an unknown enum value is a 400 that names the field.
 */
public final class Json {
    // JavaTimeModule, set up on the first java.time type met (cold start: see LazyJavaTimeModule).
    public static final ObjectMapper MAPPER = build(new LazyJavaTimeModule());

    /** The kernel's mapper, with {@code time} as its java.time module (tests compare it with Jackson's own). */
    static ObjectMapper build(com.fasterxml.jackson.databind.Module time) {
        ObjectMapper mapper = JsonMapper.builder()
            .addModule(time)
            .addModule(Times.MODULE)
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("strict-numbers")
                    .addDeserializer(Double.class, new JsonNumberOnly())
                    .addDeserializer(double.class, new JsonNumberOnly()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 2 is not COMMON_ROOM: Jackson otherwise reads a number as an enum's index.
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Strict types: 4.9 is not a rating of 4, "3" is not a capacity of 3, 42 is not a name,
            // and a key given twice is not "the last one wins".
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfigDefaults(c -> c.setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
        // Bound what a single request can make us parse.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(256 * 1024).maxNestingDepth(64).build());
        return mapper;
    }

    private Json() {
    }

    /**
     * Times in answers have one form: ISO 8601 in UTC, to the millisecond
     * ({@code 2026-12-01T09:30:00.000Z}). JavaTimeModule writes as many fractional digits as the
     * value holds (0 to 9, and an offset for OffsetDateTime), and strict parsers (JavaScript's
     * Date, many OpenAPI clients) refuse nine. Registered after JavaTimeModule, so it wins.
     */
    static final class Times extends com.fasterxml.jackson.databind.ser.std.StdSerializer<java.time.temporal.TemporalAccessor> {
        static final java.time.format.DateTimeFormatter FORMAT =
                java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        static final com.fasterxml.jackson.databind.module.SimpleModule MODULE = new com.fasterxml.jackson.databind.module.SimpleModule("utc-millis")
                .addSerializer(java.time.Instant.class, new Times())
                .addSerializer(java.time.OffsetDateTime.class, new Times())
                .addSerializer(java.time.ZonedDateTime.class, new Times());

        @SuppressWarnings({"unchecked", "rawtypes"})
        Times() {
            super((Class) java.time.temporal.TemporalAccessor.class);
        }

        @Override
        public void serialize(java.time.temporal.TemporalAccessor value, com.fasterxml.jackson.core.JsonGenerator gen,
                              com.fasterxml.jackson.databind.SerializerProvider provider) throws IOException {
            gen.writeString(FORMAT.format(java.time.Instant.from(value)));
        }
    }

    /** A time as answers write it (see {@link Times}), for code that puts a time into a string itself. */
    public static String time(java.time.Instant at) {
        return Times.FORMAT.format(at);
    }

    /**
     * A double from a JSON number only: Jackson's own reader takes the strings "NaN" and
     * "Infinity" whatever the coercion settings, and NaN passes every range check.
     */
    static final class JsonNumberOnly extends com.fasterxml.jackson.databind.JsonDeserializer<Double> {
        @Override
        public Double deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
                throws IOException {
            if (!p.currentToken().isNumeric()) {
                return (Double) ctxt.handleUnexpectedToken(Double.class, p);
            }
            double value = p.getDoubleValue();
            if (!Double.isFinite(value)) {
                return (Double) ctxt.handleUnexpectedToken(Double.class, p);
            }
            return value;
        }
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

    /**
     * Lambda's invocation event, whose {@code body} member may be as long as Lambda's 6 MB
     * payload: bounded by that, not by the request-body limit, which {@code ApiHandler} applies
     * itself (answering 413 rather than failing to read the event).
     */
    private static final ObjectMapper EVENTS = JsonMapper.builder().build();

    static {
        EVENTS.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(7 * 1024 * 1024).maxNestingDepth(64).build());
    }

    public static JsonNode event(InputStream in) {
        try {
            return EVENTS.readTree(in);
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
        return readBody(body, type, MAPPER);
    }

    static <T> T readBody(String body, Class<T> type, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            throw DomainError.invalid("body", "a JSON object is required");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (StreamReadException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw DomainError.invalid("body", "names a member more than once");
            }
            throw DomainError.invalid("body", "is not valid JSON");
        } catch (JsonProcessingException e) {
            throw DomainError.invalid("body", "is not valid JSON");
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw DomainError.invalid("body", "a JSON object is required");
        }
        if (!tree.isObject()) {
            throw DomainError.invalid("body", "must be a JSON object");
        }
        refuseLoneSurrogates(tree, "");
        refuseUnstorableNumbers(tree, "");
        refuseNumericDates(tree, type, "");
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw FieldError.nameable(field) ? DomainError.invalid(field, "unknown field")
                    : DomainError.invalid("body", "has a member that is not a field of this request");
        } catch (InvalidFormatException e) {
            Class<?> target = e.getTargetType();
            String detail = target != null && target.isEnum()
                    ? "must be one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString)
                            .collect(Collectors.joining(", "))
                    : "must be a " + describe(target == null ? "value" : target.getSimpleName());
            throw DomainError.invalid(named(path(e)), detail);
        } catch (MismatchedInputException e) {
            String field = path(e);
            Class<?> target = e.getTargetType();
            String expected = target == null ? "value"
                    : java.util.Collection.class.isAssignableFrom(target) || target.isArray() ? "List" : target.getSimpleName();
            throw DomainError.invalid(named(field), "must be a " + describe(expected));
        } catch (JsonProcessingException e) {
            String field = path(e instanceof JsonMappingException m ? m : null);
            throw DomainError.invalid(named(field), "is invalid");
        }
    }

    /**
     * A number DynamoDB cannot hold (a magnitude below 1E-130 or from 1E+126 on, see
     * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number)
     * would fail the write after validation: refused where it is, as every field's own range
     * would refuse it anyway.
     */
    private static void refuseUnstorableNumbers(JsonNode node, String path) {
        if (node.isNumber()) {
            java.math.BigDecimal magnitude = node.decimalValue().abs();
            if (magnitude.signum() != 0 && (magnitude.compareTo(SMALLEST_STORABLE) < 0 || magnitude.compareTo(TOO_LARGE) >= 0)) {
                throw DomainError.invalid(named(path), "is out of range");
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> refuseUnstorableNumbers(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseUnstorableNumbers(node.get(i), path.isEmpty() ? String.valueOf(i) : path + "." + i);
            }
        }
    }

    private static final java.math.BigDecimal SMALLEST_STORABLE = new java.math.BigDecimal("1E-130");
    private static final java.math.BigDecimal TOO_LARGE = new java.math.BigDecimal("1E+126");

    /**
     * JSON's {@code \\uD800} escapes can spell half a character, which no UTF-8 store or
     * answer can carry: refused where it is, before anything is read from the body. A null
     * inside a list is refused on the way.
     */
    private static void refuseLoneSurrogates(JsonNode node, String path) {
        if (node.isTextual()) {
            if (!wellFormed(node.textValue())) {
                throw DomainError.invalid(named(path), "is not valid Unicode (half of a surrogate pair)");
            }
        } else if (node.isObject()) {
            node.properties().forEach(e -> {
                if (!wellFormed(e.getKey())) {
                    throw DomainError.invalid("body", "has a member name that is not valid Unicode");
                }
                refuseLoneSurrogates(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = path.isEmpty() ? String.valueOf(i) : path + "." + i;
                // No command of ours holds a null in a list: [null] is refused, not read as a missing item.
                if (node.get(i).isNull()) {
                    throw DomainError.invalid(named(at), "must not be null");
                }
                refuseLoneSurrogates(node.get(i), at);
            }
        }
    }

    static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Dates and times come as ISO 8601 strings only: Jackson's java.time readers would take a
     * number as seconds (or days) since the epoch. Walks the command's declared types (the
     * records it holds, and the elements of its lists, sets, arrays, optionals and map values,
     * however deep) where the body has a number for a java.time field, naming the field with
     * the same dotted path as the other checks ({@code slots.0.at}).
     */
    private static void refuseNumericDates(JsonNode node, java.lang.reflect.Type type, String path) {
        Class<?> raw = rawClass(type);
        if (raw == null || node == null) {
            return;
        }
        if (isDateType(raw)) {
            if (!node.isTextual()) {
                throw DomainError.invalid(named(path), "must be a date or time written as an ISO 8601 string");
            }
        } else if (raw.isRecord() && node.isObject()) {
            for (var component : raw.getRecordComponents()) {
                JsonNode value = node.get(component.getName());
                if (value != null) {
                    refuseNumericDates(value, component.getGenericType(), at(path, component.getName()));
                }
            }
        } else if (node.isArray() && (raw.isArray() || java.util.Collection.class.isAssignableFrom(raw))) {
            java.lang.reflect.Type element = raw.isArray() ? elementOfArray(type) : typeArgument(type, 0);
            for (int i = 0; i < node.size(); i++) {
                refuseNumericDates(node.get(i), element, at(path, String.valueOf(i)));
            }
        } else if (node.isObject() && java.util.Map.class.isAssignableFrom(raw)) {
            java.lang.reflect.Type value = typeArgument(type, 1);
            node.properties().forEach(e -> refuseNumericDates(e.getValue(), value, at(path, e.getKey())));
        } else if (raw == java.util.Optional.class) {
            refuseNumericDates(node, typeArgument(type, 0), path);
        }
    }

    private static boolean isDateType(Class<?> type) {
        return java.time.temporal.Temporal.class.isAssignableFrom(type) || type == java.time.Duration.class
                || java.time.ZoneId.class.isAssignableFrom(type) || type == java.time.MonthDay.class;
    }

    private static String at(String path, String member) {
        return path.isEmpty() ? member : path + "." + member;
    }

    /** The class a declared type stands for; null when it cannot be known (a bare type variable, say). */
    private static Class<?> rawClass(java.lang.reflect.Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof java.lang.reflect.ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof java.lang.reflect.GenericArrayType a) {
            Class<?> element = rawClass(a.getGenericComponentType());
            return element == null ? null : element.arrayType();
        }
        if (type instanceof java.lang.reflect.WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof java.lang.reflect.TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return null;
    }

    private static java.lang.reflect.Type typeArgument(java.lang.reflect.Type type, int index) {
        return type instanceof java.lang.reflect.ParameterizedType p && p.getActualTypeArguments().length > index
                ? p.getActualTypeArguments()[index] : Object.class;
    }

    private static java.lang.reflect.Type elementOfArray(java.lang.reflect.Type type) {
        return type instanceof java.lang.reflect.GenericArrayType a ? a.getGenericComponentType() : ((Class<?>) type).getComponentType();
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
