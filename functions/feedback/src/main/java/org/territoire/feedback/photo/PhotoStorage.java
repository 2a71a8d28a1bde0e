package org.territoire.feedback.photo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The photos bucket: quarantined uploads in, published images out. */
public interface PhotoStorage {

    /** A browser form upload: POST {@code fields} then the file (as the last field, "file") to {@code url}. */
    record UploadForm(String url, Map<String, String> fields, Instant expiresAt) {
    }

    /** An object as stored: its declared type, its size, and its bytes (at most the limit read plus one). */
    record Stored(String contentType, long size, byte[] bytes) {
    }

    /** A presigned POST whose policy fixes the key and the content type, and bounds the size. */
    UploadForm presignUpload(String key, String contentType, long maxBytes, Duration validity);

    /** The object, reading at most {@code maxBytes + 1} bytes; empty when there is none. */
    Optional<Stored> read(String key, long maxBytes);

    void putJpeg(String key, byte[] jpeg);

    void delete(String key);

    /**
     * Deletes every version of every object under {@code prefix}, delete markers included, so
     * nothing of them remains in the versioned bucket (an erasure: a plain delete would only
     * hide the current version behind a marker). Idempotent.
     */
    void purge(String prefix);

    /** A presigned GET of the object, valid for {@code validity}. */
    URI presignGet(String key, Duration validity);
}
