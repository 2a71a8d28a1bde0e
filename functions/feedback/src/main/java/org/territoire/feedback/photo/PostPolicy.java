package org.territoire.feedback.photo;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A browser-based upload's form, signed with Signature Version 4 (the SDK for Java 2 has no
 * presigned POST). The policy names the bucket, the exact key, the exact Content-Type, a size
 * range and the signing fields; S3 refuses a form whose fields the policy does not cover.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html
 */
final class PostPolicy {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    private PostPolicy() {
    }

    /** The form fields, in the order S3 wants them before the file. */
    static Map<String, String> sign(AwsCredentials credentials, String region, String bucket, String key, String contentType,
                                    long maxBytes, Instant now, Instant expiresAt) {
        String amzDate = AMZ_DATE.format(now);
        String day = amzDate.substring(0, 8);
        String credential = credentials.accessKeyId() + "/" + day + "/" + region + "/s3/aws4_request";
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        fields.put("x-amz-algorithm", ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        if (credentials instanceof AwsSessionCredentials session) {
            fields.put("x-amz-security-token", session.sessionToken());
        }
        List<Object> conditions = new ArrayList<>();
        conditions.add(Map.of("bucket", bucket));
        conditions.add(List.of("eq", "$key", key));
        conditions.add(List.of("eq", "$Content-Type", contentType));
        conditions.add(List.of("content-length-range", 1, maxBytes));
        fields.forEach((name, value) -> {
            if (name.startsWith("x-amz-")) {
                conditions.add(Map.of(name, value));
            }
        });
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("expiration", EXPIRATION.format(expiresAt));
        policy.put("conditions", conditions);
        String encoded = Base64.getEncoder().encodeToString(Json.write(policy).getBytes(StandardCharsets.UTF_8));
        fields.put("policy", encoded);
        byte[] signingKey = hmac(hmac(hmac(hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), day),
                region), "s3"), "aws4_request");
        fields.put("x-amz-signature", HexFormat.of().formatHex(hmac(signingKey, encoded)));
        return fields;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
