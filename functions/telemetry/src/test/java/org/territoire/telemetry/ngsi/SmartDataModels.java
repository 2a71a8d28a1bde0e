package org.territoire.telemetry.ngsi;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.territoire.shared.json.Json;

/**
 * The Smart Data Models' official schema.json files, vendored in src/test/resources/smart-data-models
 * (see its README), read by networknt's JSON Schema 2020-12 validator with formats asserted.
 * The vendored copies are its only registry: a URL with no copy fails, it is never fetched.
 */
public final class SmartDataModels {
    private static final String DIR = "/smart-data-models/";

    /** Each schema URL the models $ref, to its vendored copy. */
    private static final Map<String, String> SCHEMAS = Map.of(
            "https://smart-data-models.github.io/data-models/common-schema.json", "common-schema.json",
            "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json",
            "Environment-schema.json");

    /** JSON Schema 2020-12 plus the Smart Data Models' own annotations, which say nothing to validate. */
    private static final JsonMetaSchema META = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keywords(java.util.stream.Stream.of("modelTags", "$schemaVersion", "derivedFrom", "license")
                    .<com.networknt.schema.Keyword>map(NonValidationKeyword::new).toList())
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.metaSchema(META).defaultMetaSchemaIri(META.getIri()).schemaLoaders(loaders -> loaders.values(list -> {
                // The vendored copies are the only loader: an unknown URL fails instead of being fetched.
                list.clear();
                list.add(iri -> {
                    String file = file(iri.toString());
                    return () -> resource(file);
                });
            })));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private SmartDataModels() {
    }

    /** What the model's schema finds wrong with an entity in key-values form; empty when it validates. */
    public static List<String> errors(String type, JsonNode keyValues) {
        JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(id(type)), CONFIG);
        return schema.validate(keyValues).stream().map(ValidationMessage::getMessage).toList();
    }

    /** A model's schema $id, read from its vendored copy. */
    private static String id(String type) {
        return Json.tree(resource(type + ".schema.json")).path("$id").asText();
    }

    private static String file(String url) {
        String base = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        if (SCHEMAS.containsKey(base)) {
            return SCHEMAS.get(base);
        }
        for (String type : NgsiLd.TYPES) {
            if (base.equals(id(type))) {
                return type + ".schema.json";
            }
        }
        throw new IllegalStateException("not vendored, and never fetched: " + url);
    }

    public static InputStream resource(String file) {
        InputStream in = SmartDataModelsTest.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new UncheckedIOException(new IOException("missing vendored file " + file));
        }
        return in;
    }

}
