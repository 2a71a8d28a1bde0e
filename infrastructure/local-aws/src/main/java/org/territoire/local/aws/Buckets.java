package org.territoire.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The template's buckets in the local endpoint. CloudFormation names a bucket itself; locally it
 * is the logical id in lower case with dashes (S3 refuses capitals), and every function variable
 * that names the bucket ({@code !Ref PersonalDataExportBucket}) gets that name.
 */
public final class Buckets {
    private Buckets() {
    }

    /** The local name of the template's bucket with this logical id. */
    public static String localName(String logicalId) {
        return logicalId.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    public static Map<String, String> createAll(SamTemplate template) {
        Map<String, String> names = new LinkedHashMap<>();
        java.util.Set<String> versioned = new java.util.HashSet<>();
        template.root().path("Resources").properties().forEach(e -> {
            if ("AWS::S3::Bucket".equals(e.getValue().path("Type").asText())) {
                names.put(e.getKey(), localName(e.getKey()));
                if ("Enabled".equals(e.getValue().path("Properties").path("VersioningConfiguration").path("Status").asText())) {
                    versioned.add(localName(e.getKey()));
                }
            }
        });
        if (names.isEmpty()) {
            return Map.of();
        }
        try (S3Client s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build()) {
            for (String bucket : names.values()) {
                try {
                    s3.createBucket(r -> r.bucket(bucket)
                            .createBucketConfiguration(c -> c.locationConstraint(org.territoire.shared.config.Env.require("AWS_REGION"))));
                } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException e) {
                    // A shared endpoint (the run command's, or LocalStack) already has it.
                }
                if (versioned.contains(bucket)) {
                    // As the template's: a delete then leaves a marker and the versions, as in AWS.
                    s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
                }
            }
            names.forEach((logicalId, bucket) -> {
                List<software.amazon.awssdk.services.s3.model.CORSRule> rules = corsRules(template.root().path("Resources").path(logicalId));
                if (!rules.isEmpty()) {
                    s3.putBucketCors(r -> r.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
                }
            });
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            f.environment().forEach((name, value) -> {
                if (names.containsKey(value)) {
                    env.put(name, names.get(value));
                }
            });
        }
        return env;
    }

    /**
     * The bucket's CORS rules as the template gives them, so the local S3 answers a browser as AWS
     * would. An origin the template computes (a parameter, the CloudFront domain) is not known
     * locally, where the client's origin is a free port: it is any origin ("*"), still only with the
     * rule's methods, as the local HTTP API does with the API's CORS origin.
     */
    static List<software.amazon.awssdk.services.s3.model.CORSRule> corsRules(JsonNode bucket) {
        List<software.amazon.awssdk.services.s3.model.CORSRule> rules = new ArrayList<>();
        for (JsonNode rule : bucket.path("Properties").path("CorsConfiguration").path("CorsRules")) {
            List<String> origins = new ArrayList<>();
            rule.path("AllowedOrigins").forEach(o -> origins.add(o.isTextual() && o.asText().startsWith("http") ? o.asText() : "*"));
            rules.add(software.amazon.awssdk.services.s3.model.CORSRule.builder()
                    .allowedMethods(texts(rule.path("AllowedMethods")))
                    .allowedOrigins(origins)
                    .allowedHeaders(texts(rule.path("AllowedHeaders")))
                    .exposeHeaders(texts(rule.path("ExposedHeaders")))
                    .maxAgeSeconds(rule.has("MaxAge") ? rule.path("MaxAge").asInt() : null)
                    .build());
        }
        return rules;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
