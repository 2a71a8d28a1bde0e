package org.territoire.feedback.photo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The local endpoint refuses a browser upload as S3 refuses it (infrastructure/local/s3_local.py),
 * over HTTP, with S3's status and error code: moto alone stores all of these.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
class PostPolicyEnforcementTest {
    private static S3Client s3;
    private static String bucket;
    private static URI url;

    @BeforeAll
    static void endpoint() {
        LocalAws aws = LocalAws.shared();
        bucket = Env.require(S3PhotoStorage.BUCKET_VARIABLE);
        url = URI.create(aws.url() + "/" + bucket);
        s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build();
    }

    private static Map<String, String> form(String key, String type, long max, Instant expires) {
        return new LinkedHashMap<>(PostPolicy.sign(Aws.credentialsProvider().resolveCredentials(), Env.require("AWS_REGION"), bucket,
                key, type, max, Instant.now(), expires));
    }

    private static String key() {
        return "quarantine/test/" + UUID.randomUUID();
    }

    private static void assertNothingAt(String key) {
        assertThatThrownBy(() -> s3.headObject(h -> h.bucket(bucket).key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aFileWithinThePolicy_isStored_withItsType() throws Exception {
        String key = key();
        HttpResponse<String> answer = FormUpload.post(url, form(key, "image/jpeg", 1000, Instant.now().plusSeconds(60)),
                new byte[500], "a.jpg");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        var head = s3.headObject(h -> h.bucket(bucket).key(key));
        assertThat(head.contentLength()).isEqualTo(500);
        assertThat(head.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aFileOverTheContentLengthRange_isRefused_EntityTooLarge() throws Exception {
        String key = key();
        HttpResponse<String> answer = FormUpload.post(url, form(key, "image/jpeg", 1000, Instant.now().plusSeconds(60)),
                new byte[5000], "a.jpg");
        // S3 answers 400 EntityTooLarge for a content-length-range exceeded (not a 403).
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.headers().firstValue("content-type")).hasValue("application/xml");
        assertThat(answer.body()).contains("<Code>EntityTooLarge</Code>", "<ProposedSize>5000</ProposedSize>",
                "<MaxSizeAllowed>1000</MaxSizeAllowed>");
        assertNothingAt(key);
    }

    @Test
    void anotherContentTypeThanThePolicys_isRefused_AccessDenied() throws Exception {
        String key = key();
        Map<String, String> fields = form(key, "image/jpeg", 1000, Instant.now().plusSeconds(60));
        fields.put("Content-Type", "text/html");
        HttpResponse<String> answer = FormUpload.post(url, fields, new byte[10], "a.jpg");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("<Code>AccessDenied</Code>",
                "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$Content-Type\", \"image/jpeg\"]");
        assertNothingAt(key);
    }

    @Test
    void anotherKey_anExpiredPolicy_aForgedSignature_orAnUncoveredField_areRefused() throws Exception {
        String key = key();
        Map<String, String> otherKey = form(key, "image/png", 1000, Instant.now().plusSeconds(60));
        otherKey.put("key", "published/mine.png");
        assertThat(FormUpload.post(url, otherKey, new byte[10], "a.png").body()).contains("<Code>AccessDenied</Code>", "$key");

        Map<String, String> expired = form(key, "image/png", 1000, Instant.now().minusSeconds(1));
        assertThat(FormUpload.post(url, expired, new byte[10], "a.png").body()).contains("<Code>AccessDenied</Code>", "Policy expired");

        Map<String, String> forged = form(key, "image/png", 1000, Instant.now().plusSeconds(60));
        forged.put("x-amz-signature", "0".repeat(64));
        HttpResponse<String> answer = FormUpload.post(url, forged, new byte[10], "a.png");
        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("<Code>SignatureDoesNotMatch</Code>");

        Map<String, String> extra = form(key, "image/png", 1000, Instant.now().plusSeconds(60));
        extra.put("x-amz-meta-origin", "elsewhere");
        assertThat(FormUpload.post(url, extra, new byte[10], "a.png").body()).contains("Extra input fields: x-amz-meta-origin");

        Map<String, String> none = new LinkedHashMap<>(Map.of("key", key, "Content-Type", "image/png"));
        assertThat(FormUpload.post(url, none, new byte[10], "a.png").statusCode()).isEqualTo(403);
        assertNothingAt(key);
        assertNothingAt("published/mine.png");
    }
}
