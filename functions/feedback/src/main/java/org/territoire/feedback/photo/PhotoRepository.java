package org.territoire.feedback.photo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A report's photos, kept with the report so that one conditional write guards their number. */
public interface PhotoRepository {

    /** The report's photos and who may add to them; {@code version} changes with every write of the photos. */
    record Album(String reportId, String authorId, String organisationId, long version, List<Photo> photos) {
    }

    Optional<Album> album(String reportId);

    /** The albums of these reports (those that exist), read in batches rather than one by one. */
    java.util.Map<String, Album> albums(java.util.Collection<String> reportIds);

    /**
     * Adds the photo, and drops the photos named (stale reservations, old refusals), if the
     * album is still at {@code seen.version()}: one conditional write. False if it moved.
     */
    boolean add(Album seen, Photo photo, Set<String> drop);

    /** Marks a pending photo published at this version; false if it is not pending (any more). */
    boolean publish(String reportId, String photoId, int version, Instant at);

    /** Hides a published photo with the reason; false if it is not published (any more). */
    boolean hide(String reportId, String photoId, String reason, Instant at);

    /** Moves a published photo from one version to the next; false if it is not that published version (any more). */
    boolean republish(String reportId, String photoId, int from, int to, Instant at);

    /** Marks a pending photo refused with the reason; false if it is not pending (any more). */
    boolean refuse(String reportId, String photoId, String reason, Instant at);
}
