package org.territoire.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CORSRule;

/** The local S3 answers browsers as the template's bucket CORS rules say, no wider. */
class BucketsCorsTest {
    @Test
    void thePhotosBucket_acceptsOnlyPost_fromTheClientsOrigin_whichIsAnyOriginLocally() {
        List<CORSRule> rules = Buckets.corsRules(SamTemplate.load().root().path("Resources").path("ReportPhotosBucket"));
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).allowedMethods()).containsExactly("POST");
        // The template's origin is computed (a parameter or the CloudFront domain): unknown locally.
        assertThat(rules.get(0).allowedOrigins()).containsExactly("*");
        assertThat(rules.get(0).allowedHeaders()).isEmpty();
    }

    @Test
    void aBucketWithoutCorsRules_getsNone() {
        assertThat(Buckets.corsRules(SamTemplate.load().root().path("Resources").path("PersonalDataExportBucket"))).isEmpty();
    }

    @Test
    void aLiteralOrigin_isKeptAsItIs() throws Exception {
        var bucket = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"Properties\":{\"CorsConfiguration\":{\"CorsRules\":[{\"AllowedMethods\":[\"POST\"],\"AllowedOrigins\":[\"https://territoire.example\"],\"MaxAge\":60}]}}}");
        CORSRule rule = Buckets.corsRules(bucket).get(0);
        assertThat(rule.allowedOrigins()).containsExactly("https://territoire.example");
        assertThat(rule.maxAgeSeconds()).isEqualTo(60);
    }
}
