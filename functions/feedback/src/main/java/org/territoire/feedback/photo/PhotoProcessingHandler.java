package org.territoire.feedback.photo;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;

/**
 * The photo processing function: invoked by S3 on {@code s3:ObjectCreated:*} under
 * {@code quarantine/}, one record per object. A record whose processing fails on the platform
 * (S3 or DynamoDB unavailable) fails the invocation, which Lambda retries; a file that is no
 * clean image is refused, which is an outcome, not a failure.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-s3.html
 */
public final class PhotoProcessingHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private final PhotoService photos;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public PhotoProcessingHandler() {
        this(new PhotoService(new DynamoPhotoRepository(Aws.dynamoDb(), Env.require("FEEDBACK_TABLE")),
                S3PhotoStorage.fromEnvironment(), Clock.systemUTC(), PhotoService.heicFromEnvironment()));
        org.territoire.shared.observability.EventPriming.register(this);
    }

    public PhotoProcessingHandler(PhotoService photos) {
        this.photos = photos;
    }

    /**
     * SnapStart: an S3 notification of an upload under a report that does not exist, read as S3 sends it, up to
     * the photo's read (the report's album) and the object's (S3 has none): the leftover is not deleted, nothing is written.
     * Then a small HEIC decoded in the decoder's sandbox (no I/O), whose first use loads its 1.5 MB of classes.
     */
    @Override
    public void prime() {
        org.territoire.heif.HeifDecoder.prime();
        org.territoire.shared.observability.EventPriming.prime("""
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Post","eventTime":"1970-01-01T00:00:00Z",
                 "s3":{"bucket":{"name":"report-photos"},"object":{"key":"quarantine/%1$s/%1$s","size":1}}}]}""".formatted(org.territoire.shared.observability.EventPriming.ABSENT),
                event -> {
                    String key = URLDecoder.decode(event.path("Records").path(0).path("s3").path("object").path("key").asText(),
                            StandardCharsets.UTF_8);
                    return photos.primeReads(key);
                });
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
        JsonNode event = Json.tree(input);
        int published = 0;
        int refused = 0;
        for (JsonNode record : event.path("Records")) {
            if (!record.path("eventName").asText().startsWith("ObjectCreated:")) {
                continue;
            }
            // Keys in S3 events are URL-encoded, spaces as '+': https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
            String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8);
            switch (photos.process(key)) {
                case PUBLISHED -> published++;
                case REFUSED -> refused++;
                case IGNORED -> { }
            }
        }
        output.write(("{\"published\":" + published + ",\"refused\":" + refused + "}").getBytes(StandardCharsets.UTF_8));
    }
}
