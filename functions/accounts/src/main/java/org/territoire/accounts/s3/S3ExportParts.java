package org.territoire.accounts.s3;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.accounts.account.ExportParts;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Reads {@code exports/<exportId>/<capability>.json} from the export bucket (private, encrypted, 7-day lifecycle). */
public final class S3ExportParts implements ExportParts {
    private final java.util.function.Supplier<S3Client> s3;
    private final java.util.function.Supplier<software.amazon.awssdk.services.s3.presigner.S3Presigner> presigner;
    private final String bucket;

    public S3ExportParts(S3Client s3, software.amazon.awssdk.services.s3.presigner.S3Presigner presigner, String bucket) {
        this(() -> s3, () -> presigner, bucket);
    }

    /** With clients made on the first export ({@link org.territoire.shared.ddb.LazyClient}): most requests export nothing. */
    public S3ExportParts(java.util.function.Supplier<S3Client> s3,
                         java.util.function.Supplier<software.amazon.awssdk.services.s3.presigner.S3Presigner> presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /**
     * Written once: a later GET of the same export presigns the object already there. The link is
     * signed with the function's role, which may read the bucket; it lasts {@code validFor} at
     * most (and no longer than the role's session), and the bucket policy's TLS-only rule holds.
     * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
     */
    @Override
    public Download publish(String exportId, byte[] assembled, java.time.Duration validFor) {
        String key = "exports/" + exportId + "/export.json";
        try {
            try {
                s3.get().headObject(h -> h.bucket(bucket).key(key));
            } catch (software.amazon.awssdk.services.s3.model.S3Exception missing) {
                if (missing.statusCode() != 404) {
                    throw missing;
                }
                s3.get().putObject(p -> p.bucket(bucket).key(key).contentType("application/json"),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(assembled));
            }
            var signed = presigner.get().presignGetObject(g -> g.signatureDuration(validFor)
                    .getObjectRequest(o -> o.bucket(bucket).key(key).responseContentType("application/json")
                            .responseContentDisposition("attachment; filename=\"territoire-export-" + exportId + ".json\"")));
            return new Download(java.net.URI.create(signed.url().toString()), signed.expiration());
        } catch (SdkException e) {
            throw StorageException.busy("the export bucket is unavailable", e);
        }
    }

    @Override
    public Map<String, JsonNode> read(String exportId) {
        Map<String, JsonNode> parts = new LinkedHashMap<>();
        try {
            var listed = s3.get().listObjectsV2(r -> r.bucket(bucket).prefix("exports/" + exportId + "/"));
            for (var object : listed.contents()) {
                String name = object.key().substring(object.key().lastIndexOf('/') + 1);
                String capability = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
                if (CAPABILITIES.contains(capability)) {
                    try {
                        parts.put(capability, Json.tree(s3.get().getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asUtf8String()));
                    } catch (NoSuchKeyException e) {
                        // Expired between the list and the read: still pending.
                    }
                }
            }
            return parts;
        } catch (SdkException e) {
            throw StorageException.busy("the export bucket is unavailable", e);
        }
    }
}
