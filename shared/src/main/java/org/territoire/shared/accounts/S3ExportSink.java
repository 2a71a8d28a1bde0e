package org.territoire.shared.accounts;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.LazyClient;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The export bucket ({@code EXPORT_BUCKET}). The bucket encrypts by default (SSE-KMS with the
 * data key) and expires objects after 7 days; a rewrite of the same key (a redelivered
 * request) replaces the object with the same content.
 */
public final class S3ExportSink implements ExportSink {
    private final Supplier<S3Client> s3;
    private final String bucket;

    public S3ExportSink(S3Client s3, String bucket) {
        this(LazyClient.ready(s3), bucket);
    }

    private S3ExportSink(Supplier<S3Client> s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3ExportSink fromEnvironment() {
        // Path-style addressing only against a local endpoint (moto answers on 127.0.0.1, which has
        // no bucket subdomains); AWS itself is addressed virtual-hosted, as it recommends:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
        boolean local = Env.get("AWS_ENDPOINT_URL_S3").or(() -> Env.get("AWS_ENDPOINT_URL")).isPresent();
        // Built on the first export: an erasure, the other event the consumers get, writes no object.
        return new S3ExportSink(LazyClient.of(() -> Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient())
                .forcePathStyle(local).build()), Env.require("EXPORT_BUCKET"));
    }

    @Override
    public void write(String exportId, String capability, String json) {
        try {
            s3.get().putObject(p -> p.bucket(bucket).key(ExportSink.key(exportId, capability)).contentType("application/json"),
                    RequestBody.fromBytes(json.getBytes(StandardCharsets.UTF_8)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }
}
