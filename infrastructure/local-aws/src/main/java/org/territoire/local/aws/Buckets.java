package org.territoire.local.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

/**
 * Creates each {@code AWS::S3::Bucket} of the template in the local endpoint. A bucket name
 * must be lower case (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html),
 * and {@code !Ref} gives the logical id locally, so the local bucket is the logical id in lower
 * case, and the functions' variables that name it are mapped to that ({@link #localName}).
 */
public final class Buckets {
    private Buckets() {
    }

    public static String localName(String logicalId) {
        return logicalId.toLowerCase(Locale.ROOT);
    }

    static List<String> logicalIds(SamTemplate template) {
        List<String> ids = new ArrayList<>();
        template.root().path("Resources").properties().forEach(e -> {
            if ("AWS::S3::Bucket".equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    static void createAll(SamTemplate template) {
        List<String> ids = logicalIds(template);
        if (ids.isEmpty()) {
            return;
        }
        try (S3Client s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build()) {
            for (String id : ids) {
                try {
                    // Outside us-east-1 S3 wants the region named, as CloudFormation names it.
                    s3.createBucket(b -> b.bucket(localName(id)).createBucketConfiguration(c -> c
                            .locationConstraint(BucketLocationConstraint.fromValue(Env.require("AWS_REGION")))));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // Another run against the same endpoint created it.
                }
            }
        }
    }
}
