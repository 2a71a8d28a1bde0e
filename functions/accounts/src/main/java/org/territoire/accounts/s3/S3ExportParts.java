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
    private final S3Client s3;
    private final String bucket;

    public S3ExportParts(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Map<String, JsonNode> read(String exportId) {
        Map<String, JsonNode> parts = new LinkedHashMap<>();
        try {
            var listed = s3.listObjectsV2(r -> r.bucket(bucket).prefix("exports/" + exportId + "/"));
            for (var object : listed.contents()) {
                String name = object.key().substring(object.key().lastIndexOf('/') + 1);
                String capability = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
                if (CAPABILITIES.contains(capability)) {
                    try {
                        parts.put(capability, Json.tree(s3.getObjectAsBytes(r -> r.bucket(bucket).key(object.key())).asUtf8String()));
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
