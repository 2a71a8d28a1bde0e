package org.territoire.feedback.photo;

import java.time.Instant;

/**
 * A photo of a report. It is reserved ({@link Status#PENDING}) when its upload is granted, and
 * becomes {@link Status#PUBLISHED} once the processing function has decoded, cleaned and
 * re-encoded it, or {@link Status#REFUSED} (with a reason for its author) when it could not.
 * An agent may hide a published photo ({@link Status#HIDDEN}): kept, out of view.
 * {@code version} counts the published versions (a redaction publishes the next one).
 */
public record Photo(String id, String reportId, String authorId, Uploader by, String contentType, Status status,
                    String reason, int version, Instant createdAt, Instant uploadBy, Instant updatedAt) {

    public enum Status { PENDING, PUBLISHED, REFUSED, HIDDEN }

    /** The report's author, or an operator illustrating a status update. */
    public enum Uploader { AUTHOR, OPERATOR }

    /** Whether the photo takes one of the report's places: published or hidden, or still awaited. */
    boolean holdsAPlace(Instant now) {
        return switch (status) {
            case PUBLISHED, HIDDEN -> true;
            case PENDING -> now.isBefore(uploadBy.plus(PhotoService.PROCESSING_MARGIN));
            case REFUSED -> false;
        };
    }

    /** Where the upload lands, and where the processing function reads it. */
    public static String quarantineKey(String reportId, String photoId) {
        return PhotoService.QUARANTINE_PREFIX + reportId + "/" + photoId;
    }

    /** Every version of the photo, published and thumbnail, lies under this prefix. */
    public static String publishedPrefix(String reportId, String photoId) {
        return "published/" + reportId + "/" + photoId + "/";
    }

    public static String publishedKey(String reportId, String photoId, int version) {
        return "published/" + reportId + "/" + photoId + "/" + version + ".jpg";
    }

    public static String thumbnailKey(String reportId, String photoId, int version) {
        return "published/" + reportId + "/" + photoId + "/" + version + "-thumbnail.jpg";
    }
}
