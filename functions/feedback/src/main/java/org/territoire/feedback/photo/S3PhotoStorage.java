package org.territoire.feedback.photo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.LazyClient;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The photos bucket ({@code PHOTOS_BUCKET}). It encrypts by default (SSE-KMS with the data
 * key), blocks public access and takes TLS only; photos are read through short presigned GETs.
 */
public final class S3PhotoStorage implements PhotoStorage {
    public static final String BUCKET_VARIABLE = "PHOTOS_BUCKET";

    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    private final String region;
    private final Optional<String> endpoint;
    private final Clock clock;

    private S3PhotoStorage(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket, String region, Optional<String> endpoint, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.region = region;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** Signs with the system's clock, whatever clock the service runs on: S3 checks a signature against real time. */
    public static S3PhotoStorage fromEnvironment() {
        Clock clock = Clock.systemUTC();
        // Path-style addressing only against a local endpoint (it answers on 127.0.0.1, which has
        // no bucket subdomains); AWS itself is addressed virtual-hosted, as it recommends:
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html
        Optional<String> endpoint = Env.get("AWS_ENDPOINT_URL_S3").or(() -> Env.get("AWS_ENDPOINT_URL"));
        boolean local = endpoint.isPresent();
        String region = Env.require("AWS_REGION");
        // Both built on first use: most of the feedback API's requests touch no photo (an upload form is
        // signed by PostPolicy without them).
        LazyClient<S3Client> client = LazyClient.of(() -> Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient())
                .forcePathStyle(local).build());
        LazyClient<S3Presigner> presigner = LazyClient.of(() -> {
            S3Presigner.Builder builder = S3Presigner.builder().region(Region.of(region)).credentialsProvider(Aws.credentialsProvider())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(local).build());
            endpoint.ifPresent(url -> builder.endpointOverride(URI.create(url)));
            return builder.build();
        });
        return new S3PhotoStorage(client, presigner, Env.require(BUCKET_VARIABLE), region, endpoint, clock);
    }

    @Override
    public UploadForm presignUpload(String key, String contentType, long maxBytes, Duration validity) {
        var now = clock.instant();
        var expiresAt = now.plus(validity);
        var fields = PostPolicy.sign(Aws.credentialsProvider().resolveCredentials(), region, bucket, key, contentType, maxBytes,
                now, expiresAt);
        String url = endpoint.map(e -> e.replaceAll("/+$", "") + "/" + bucket)
                .orElse("https://" + bucket + ".s3." + region + ".amazonaws.com/");
        return new UploadForm(url, fields, expiresAt);
    }

    @Override
    public Optional<Stored> read(String key, long maxBytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.get().getObject(g -> g.bucket(bucket).key(key))) {
            GetObjectResponse head = in.response();
            return Optional.of(new Stored(head.contentType(), head.contentLength() == null ? -1 : head.contentLength(),
                    readAtMost(in, maxBytes + 1)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StorageException.from(e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }

    @Override
    public void putJpeg(String key, byte[] jpeg) {
        try {
            s3.get().putObject(p -> p.bucket(bucket).key(key).contentType("image/jpeg").cacheControl("private, max-age=300"),
                    RequestBody.fromBytes(jpeg));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.get().deleteObject(d -> d.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public void purge(String prefix) {
        try {
            // One page after another: each deletion is of one version by its id, which S3 never
            // turns into a delete marker. https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
            for (var page : s3.get().listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix))) {
                page.versions().forEach(v -> s3.get().deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId())));
                page.deleteMarkers().forEach(m -> s3.get().deleteObject(d -> d.bucket(bucket).key(m.key()).versionId(m.versionId())));
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public URI presignGet(String key, Duration validity) {
        try {
            return presigner.get().presignGetObject(p -> p.signatureDuration(validity).getObjectRequest(g -> g.bucket(bucket).key(key)))
                    .url().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
