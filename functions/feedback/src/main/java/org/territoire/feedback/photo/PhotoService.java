package org.territoire.feedback.photo;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/**
 * Photos of reports. An upload is granted as a presigned POST into the quarantine prefix
 * after the report's place is reserved; the processing function (on S3's ObjectCreated event)
 * decodes, cleans and re-encodes the file and publishes it, or refuses it and removes it. A
 * report holds at most {@value #MAX_PHOTOS} photos: published, hidden, or awaited.
 */
public final class PhotoService {
    public static final int MAX_PHOTOS = 3;
    public static final long MAX_BYTES = 10L * 1024 * 1024;
    public static final String QUARANTINE_PREFIX = "quarantine/";
    /** How long a granted upload may start (the policy's expiration). */
    public static final Duration UPLOAD_VALIDITY = Duration.ofMinutes(5);
    /** How long after that a reservation still holds its place, for the upload to finish and be processed. */
    public static final Duration PROCESSING_MARGIN = Duration.ofMinutes(15);
    /** How long a presigned GET of a published photo is valid. */
    public static final Duration VIEW_VALIDITY = Duration.ofMinutes(10);
    /** A refusal stays on the report for its author this long, without holding a place. */
    static final Duration REFUSAL_KEPT = Duration.ofDays(7);
    /**
     * The types a phone or a browser sends that can be decoded here: JPEG, PNG, WebP, and HEIC (an
     * iPhone's photos, decoded in a WebAssembly sandbox: org.territoire.heif.HeifDecoder) unless the
     * territory turned HEIC off ({@code PHOTOS_HEIC=refused}, docs/operations.md).
     */
    public static final Set<String> TYPES = Set.of("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif");
    private static final Set<String> HEIC_TYPES = Set.of("image/heic", "image/heif");
    private static final int ATTEMPTS = 8;


    /** The body of {@code POST /reports/{id}/photos}. */
    public record NewPhoto(String contentType) {
    }

    /** What the client does next: POST the fields and then the file, as a form, to the URL, before {@code expiresAt}. */
    public record UploadGrant(String photoId, String url, Map<String, String> fields, Instant expiresAt, long maxBytes) {
    }

    /** A photo as a report's reader sees it; the URLs are presigned GETs, only for a published one. */
    public record PhotoView(String id, String status, String by, int version, Instant createdAt, Instant updatedAt, String reason,
                            URI url, URI thumbnailUrl, Instant urlsExpireAt) {
    }

    private final PhotoRepository photos;
    private final PhotoStorage storage;
    private final Clock clock;
    private final boolean heic;

    public PhotoService(PhotoRepository photos, PhotoStorage storage, Clock clock) {
        this(photos, storage, clock, true);
    }

    /** {@code heic}: whether HEIC photos are accepted, or refused at the upload's request. */
    public PhotoService(PhotoRepository photos, PhotoStorage storage, Clock clock, boolean heic) {
        this.photos = photos;
        this.storage = storage;
        this.clock = clock;
        this.heic = heic;
    }

    /** The {@code PHOTOS_HEIC} setting: {@code accepted} (the default) or {@code refused}. */
    public static boolean heicFromEnvironment() {
        String value = org.territoire.shared.config.Env.getOrDefault("PHOTOS_HEIC", "accepted");
        return switch (value) {
            case "accepted" -> true;
            case "refused" -> false;
            default -> throw new IllegalStateException("PHOTOS_HEIC must be accepted or refused");
        };
    }

    private String accepted() {
        return heic ? "image/jpeg, image/png, image/webp or image/heic" : "image/jpeg, image/png or image/webp";
    }

    public UploadGrant requestUpload(Caller caller, String reportId, NewPhoto body) {
        String type = body == null || body.contentType() == null ? null : body.contentType().strip().toLowerCase(java.util.Locale.ROOT);
        if (type == null || type.isEmpty()) {
            throw DomainError.invalid("contentType", "is required: " + accepted());
        }
        if (HEIC_TYPES.contains(type) && !heic) {
            throw DomainError.invalid("contentType", "HEIC photos are not accepted here: send JPEG (on an iPhone, Settings >"
                    + " Camera > Formats > Most Compatible, or share the photo, which converts it)");
        }
        if (!TYPES.contains(type)) {
            throw DomainError.invalid("contentType", "must be " + accepted());
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            PhotoRepository.Album album = photos.album(reportId).orElseThrow(() -> DomainError.notFound("no such report"));
            Photo.Uploader by = uploader(caller, album);
            Instant now = clock.instant();
            long held = album.photos().stream().filter(p -> p.holdsAPlace(now)).count();
            if (held >= MAX_PHOTOS) {
                throw DomainError.ruleViolated("a report has at most " + MAX_PHOTOS + " photos", Map.of("maxPhotos", MAX_PHOTOS));
            }
            Set<String> drop = new HashSet<>();
            for (Photo p : album.photos()) {
                boolean stale = p.status() == Photo.Status.PENDING && !p.holdsAPlace(now);
                boolean oldRefusal = p.status() == Photo.Status.REFUSED && p.updatedAt().plus(REFUSAL_KEPT).isBefore(now);
                if (stale || oldRefusal) {
                    drop.add(p.id());
                }
            }
            String id = UUID.randomUUID().toString();
            Instant uploadBy = now.plus(UPLOAD_VALIDITY);
            Photo photo = new Photo(id, reportId, caller.id(), by, type, Photo.Status.PENDING, null, 0, now, uploadBy, now);
            if (photos.add(album, photo, drop)) {
                PhotoStorage.UploadForm form = storage.presignUpload(Photo.quarantineKey(reportId, id), type, MAX_BYTES, UPLOAD_VALIDITY);
                return new UploadGrant(id, form.url(), form.fields(), form.expiresAt(), MAX_BYTES);
            }
            // Another upload (or the processing) wrote the album since it was read: read it again.
        }
        throw DomainError.conflict("the report's photos are changing; try again");
    }

    /** The author, or an operator of the report (its organisation's provider, an agent, an admin). */
    private static Photo.Uploader uploader(Caller caller, PhotoRepository.Album album) {
        if (caller.id().equals(album.authorId())) {
            return Photo.Uploader.AUTHOR;
        }
        if (caller.hasAny(Role.AGENT, Role.ADMIN) || caller.has(Role.PROVIDER) && caller.memberOf(album.organisationId())) {
            return Photo.Uploader.OPERATOR;
        }
        throw DomainError.forbidden("only the report's author and its operators add photos");
    }

    /** What became of an uploaded object. */
    public enum Outcome { PUBLISHED, REFUSED, IGNORED }

    /**
     * Processes one object of the quarantine prefix, failing closed: whatever cannot be decoded
     * and cleaned is refused and deleted. Safe to run twice for the same object (S3 delivers
     * events at least once): a photo no longer pending is left as it is, its leftover deleted.
     */
    /** The photo a quarantine key names, if it is still pending: read only (SnapStart priming reads it so). */
    Optional<Photo> pending(String key) {
        return parse(key).flatMap(this::pending);
    }

    /** SnapStart priming: the photo's read and the object's (a GetObject of a key that has none), nothing deleted. */
    java.util.Map<String, Boolean> primeReads(String key) {
        return java.util.Map.of("pending", pending(key).isPresent(), "stored", storage.read(key, MAX_BYTES).isPresent());
    }

    private Optional<Photo> pending(String[] parts) {
        String reportId = parts[0];
        String photoId = parts[1];
        return photos.album(reportId).flatMap(a -> a.photos().stream().filter(p -> p.id().equals(photoId)).findFirst())
                .filter(p -> p.status() == Photo.Status.PENDING);
    }

    public Outcome process(String key) {
        Optional<String[]> parts = parse(key);
        if (parts.isEmpty()) {
            storage.delete(key);
            return Outcome.IGNORED;
        }
        String reportId = parts.get()[0];
        String photoId = parts.get()[1];
        Optional<Photo> photo = pending(parts.get());
        if (photo.isEmpty()) {
            // Not granted, dropped as stale, or already processed (a redelivered event): never published from here.
            storage.delete(key);
            return Outcome.IGNORED;
        }
        Optional<PhotoStorage.Stored> stored = storage.read(key, MAX_BYTES);
        if (stored.isEmpty()) {
            return Outcome.IGNORED;
        }
        Photo p = photo.get();
        PhotoStorage.Stored object = stored.get();
        String refusal = null;
        ImageCleaner.Cleaned cleaned = null;
        // The policy bounded size and type; checked again, in case the object came another way.
        if (object.bytes().length > MAX_BYTES || object.size() > MAX_BYTES) {
            refusal = "the file is larger than " + MAX_BYTES / (1024 * 1024) + " MB";
        } else if (!p.contentType().equals(object.contentType())) {
            refusal = "the file was not sent as the " + p.contentType() + " announced";
        } else if (HEIC_TYPES.contains(p.contentType()) && !heic) {
            // Reserved before the territory turned HEIC off: not decoded since.
            refusal = "HEIC photos are not accepted here: send JPEG";
        } else {
            try {
                cleaned = ImageCleaner.clean(object.bytes(), p.contentType());
            } catch (ImageCleaner.Refused e) {
                refusal = e.getMessage();
            }
        }
        Instant now = clock.instant();
        if (refusal != null) {
            photos.refuse(reportId, photoId, refusal, now);
            storage.delete(key);
            return Outcome.REFUSED;
        }
        int version = p.version() + 1;
        storage.putJpeg(Photo.publishedKey(reportId, photoId, version), cleaned.photo());
        storage.putJpeg(Photo.thumbnailKey(reportId, photoId, version), cleaned.thumbnail());
        if (!photos.publish(reportId, photoId, version, now)) {
            // Settled meanwhile by another delivery of the same event: that one's outcome stands.
            // Or erased meanwhile with its author's account: then what was just written goes too (the
            // versions left behind expire a day later, by the bucket's lifecycle rule for noncurrent versions).
            if (photos.album(reportId).flatMap(a -> a.photos().stream().filter(q -> q.id().equals(photoId)).findFirst()).isEmpty()) {
                storage.delete(Photo.publishedKey(reportId, photoId, version));
                storage.delete(Photo.thumbnailKey(reportId, photoId, version));
            }
            storage.delete(key);
            return Outcome.IGNORED;
        }
        storage.delete(key);
        return Outcome.PUBLISHED;
    }

    /** {@code quarantine/{reportId}/{photoId}}, both UUID-like; anything else is no photo of ours. */
    static Optional<String[]> parse(String key) {
        if (!key.startsWith(QUARANTINE_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(QUARANTINE_PREFIX.length()).split("/", -1);
        if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9-]{1,64}") || !parts[1].matches("[A-Za-z0-9-]{1,64}")) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }

    /**
     * The report's photos for this reader: the published ones with presigned GETs; its author and
     * operators also see the pending, refused and hidden ones, with the reason, and no URL.
     */
    public List<PhotoView> photos(Caller caller, String reportId) {
        PhotoRepository.Album album = photos.album(reportId).orElseThrow(() -> DomainError.notFound("no such report"));
        boolean insider = caller != null && (caller.id().equals(album.authorId()) || caller.hasAny(Role.AGENT, Role.ADMIN)
                || caller.has(Role.PROVIDER) && caller.memberOf(album.organisationId()));
        return views(album, insider);
    }

    List<PhotoView> views(PhotoRepository.Album album, boolean insider) {
        Instant now = clock.instant();
        Instant expires = now.plus(VIEW_VALIDITY);
        return album.photos().stream()
                .filter(p -> p.status() == Photo.Status.PUBLISHED || insider && p.status() != Photo.Status.PENDING
                        || insider && p.holdsAPlace(now))
                .map(p -> p.status() == Photo.Status.PUBLISHED
                        ? new PhotoView(p.id(), p.status().name(), p.by().name(), p.version(), p.createdAt(), p.updatedAt(), null,
                        storage.presignGet(Photo.publishedKey(p.reportId(), p.id(), p.version()), VIEW_VALIDITY),
                        storage.presignGet(Photo.thumbnailKey(p.reportId(), p.id(), p.version()), VIEW_VALIDITY), expires)
                        : new PhotoView(p.id(), p.status().name(), p.by().name(), p.version(), p.createdAt(), p.updatedAt(), p.reason(),
                        null, null, null))
                .toList();
    }

    /** The body of {@code POST .../hide}. */
    public record HideCommand(String reason) {
    }

    /** The body of {@code POST .../redact}: a rectangle in the published photo's pixels, filled black. */
    public record RedactCommand(Integer x, Integer y, Integer width, Integer height) {
    }

    /** An agent hides a published photo: kept, out of view; its author and operators see it hidden, with the reason. */
    public PhotoView hide(Caller caller, String reportId, String photoId, HideCommand body) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        String reason = body == null || body.reason() == null ? null : body.reason().strip();
        new org.territoire.shared.validation.Validation().text("reason", reason, 1, 500, true).throwIfInvalid();
        published(reportId, photoId);
        if (!photos.hide(reportId, photoId, reason, clock.instant())) {
            throw DomainError.conflict("the photo changed meanwhile; read it again");
        }
        return view(reportId, photoId);
    }

    /**
     * An agent redacts a rectangle of a published photo (a face, a number plate): the next
     * version is published, and the previous one's objects are deleted, so it is not served
     * again (the bucket's versioning keeps it one day for an undo, readable by no URL given out).
     */
    public PhotoView redact(Caller caller, String reportId, String photoId, RedactCommand body) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        RedactCommand r = body == null ? new RedactCommand(null, null, null, null) : body;
        new org.territoire.shared.validation.Validation().range("x", r.x(), 0, ImageCleaner.MAX_SIDE).range("y", r.y(), 0, ImageCleaner.MAX_SIDE)
                .range("width", r.width(), 1, ImageCleaner.MAX_SIDE).range("height", r.height(), 1, ImageCleaner.MAX_SIDE)
                .require("x", r.x()).require("y", r.y()).require("width", r.width()).require("height", r.height()).throwIfInvalid();
        Photo photo = published(reportId, photoId);
        byte[] current = storage.read(Photo.publishedKey(reportId, photoId, photo.version()), MAX_BYTES)
                .orElseThrow(() -> DomainError.conflict("the photo changed meanwhile; read it again")).bytes();
        ImageCleaner.Cleaned redacted;
        try {
            redacted = ImageCleaner.redact(current, r.x(), r.y(), r.width(), r.height());
        } catch (ImageCleaner.Refused e) {
            throw DomainError.invalid("x", e.getMessage());
        }
        int next = photo.version() + 1;
        storage.putJpeg(Photo.publishedKey(reportId, photoId, next), redacted.photo());
        storage.putJpeg(Photo.thumbnailKey(reportId, photoId, next), redacted.thumbnail());
        if (!photos.republish(reportId, photoId, photo.version(), next, clock.instant())) {
            storage.delete(Photo.publishedKey(reportId, photoId, next));
            storage.delete(Photo.thumbnailKey(reportId, photoId, next));
            throw DomainError.conflict("the photo changed meanwhile; read it again");
        }
        storage.delete(Photo.publishedKey(reportId, photoId, photo.version()));
        storage.delete(Photo.thumbnailKey(reportId, photoId, photo.version()));
        return view(reportId, photoId);
    }

    private Photo published(String reportId, String photoId) {
        PhotoRepository.Album album = photos.album(reportId).orElseThrow(() -> DomainError.notFound("no such report"));
        Photo photo = album.photos().stream().filter(p -> p.id().equals(photoId)).findFirst()
                .orElseThrow(() -> DomainError.notFound("no such photo"));
        if (photo.status() != Photo.Status.PUBLISHED) {
            throw DomainError.ruleViolated("only a published photo is hidden or redacted; this one is "
                    + photo.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        return photo;
    }

    private PhotoView view(String reportId, String photoId) {
        PhotoRepository.Album album = photos.album(reportId).orElseThrow(() -> DomainError.notFound("no such report"));
        return views(album, true).stream().filter(v -> v.id().equals(photoId)).findFirst()
                .orElseThrow(() -> DomainError.notFound("no such photo"));
    }

    /** The report's published photos, as anyone may see them (none when the report is unknown). */
    public List<PhotoView> published(String reportId) {
        return photos.album(reportId).map(a -> views(a, false)).orElse(List.of());
    }

    /** A presigned GET of the report's first published photo, for Open311's media_url. */
    /** The first published photo of each of these reports that has one, in one read per 100 reports. */
    public java.util.Map<String, URI> firstPublished(java.util.Collection<String> reportIds) {
        java.util.Map<String, URI> first = new java.util.HashMap<>();
        photos.albums(reportIds).forEach((id, a) -> a.photos().stream().filter(p -> p.status() == Photo.Status.PUBLISHED).findFirst()
                .ifPresent(p -> first.put(id, storage.presignGet(Photo.publishedKey(p.reportId(), p.id(), p.version()), VIEW_VALIDITY))));
        return first;
    }

}
