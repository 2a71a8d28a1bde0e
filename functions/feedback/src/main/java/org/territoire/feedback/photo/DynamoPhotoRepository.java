package org.territoire.feedback.photo;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * A report's photos in the feedback table: the map {@code photos} (photo id to its record) and
 * the counter {@code photoVersion} on the report's own item ({@code REPORT#id / REPORT}). Every
 * change of the map is one UpdateItem conditioned on the counter it read, so two uploads asked
 * for at once never both take the last place: the loser reads again.
 */
public final class DynamoPhotoRepository implements PhotoRepository {
    private static final String PHOTOS = "photos";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPhotoRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static Map<String, AttributeValue> key(String reportId) {
        return Map.of("pk", s("REPORT#" + reportId), "sk", s("REPORT"));
    }

    @Override
    public Optional<Album> album(String reportId) {
        return DynamoCalls.get(dynamo, table, key(reportId)).map(item -> album(reportId, item));
    }

    @Override
    public Map<String, Album> albums(java.util.Collection<String> reportIds) {
        Map<String, Album> albums = new HashMap<>();
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(reportIds));
        // BatchGetItem takes 100 keys a call; what it leaves unprocessed is asked again.
        // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(DynamoPhotoRepository::key).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true)
                    .projectionExpression("pk, authorId, organisationId, photoVersion, #photos")
                    .expressionAttributeNames(Map.of("#photos", PHOTOS)).build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw StorageException.busy("the reports' photos could not all be read; retry", null);
                }
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response;
                try {
                    response = dynamo.batchGetItem(b -> b.requestItems(request));
                } catch (SdkException e) {
                    throw StorageException.from(e);
                }
                response.responses().getOrDefault(table, List.of()).forEach(item -> {
                    String id = item.get("pk").s().substring("REPORT#".length());
                    albums.put(id, album(id, item));
                });
                pending = response.unprocessedKeys();
            }
        }
        return albums;
    }

    private static Album album(String reportId, Map<String, AttributeValue> item) {
        {
            List<Photo> photos = new ArrayList<>();
            AttributeValue map = item.get(PHOTOS);
            if (map != null && map.hasM()) {
                map.m().forEach((id, value) -> photos.add(photo(reportId, id, value.m())));
            }
            photos.sort(Comparator.comparing(Photo::createdAt).thenComparing(Photo::id));
            long version = item.containsKey("photoVersion") ? Long.parseLong(item.get("photoVersion").n()) : 0;
            return new Album(reportId, str(item, "authorId"), str(item, "organisationId"), version, List.copyOf(photos));
        }
    }

    private static Photo photo(String reportId, String id, Map<String, AttributeValue> m) {
        return new Photo(id, reportId, str(m, "authorId"), Photo.Uploader.valueOf(str(m, "by")), str(m, "contentType"),
                Photo.Status.valueOf(str(m, "status")), str(m, "reason"), Integer.parseInt(m.get("version").n()),
                Instant.parse(str(m, "createdAt")), Instant.parse(str(m, "uploadBy")), Instant.parse(str(m, "updatedAt")));
    }

    private static AttributeValue item(Photo p) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("authorId", s(p.authorId()));
        m.put("by", s(p.by().name()));
        m.put("contentType", s(p.contentType()));
        m.put("status", s(p.status().name()));
        if (p.reason() != null) {
            m.put("reason", s(p.reason()));
        }
        m.put("version", n(p.version()));
        m.put("createdAt", s(p.createdAt().toString()));
        m.put("uploadBy", s(p.uploadBy().toString()));
        m.put("updatedAt", s(p.updatedAt().toString()));
        return AttributeValue.fromM(m);
    }

    @Override
    public boolean add(Album seen, Photo photo, Set<String> drop) {
        Map<String, String> names = new HashMap<>(Map.of("#photos", PHOTOS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", n(seen.version() + 1)));
        String update;
        String condition;
        if (seen.version() == 0) {
            // The report's first photo: the map does not exist yet, so it is written whole.
            values.put(":photos", AttributeValue.fromM(Map.of(photo.id(), item(photo))));
            update = "SET #photos = :photos, photoVersion = :next";
            condition = "attribute_exists(pk) AND attribute_not_exists(photoVersion)";
        } else {
            values.put(":photo", item(photo));
            values.put(":seen", n(seen.version()));
            names.put("#new", photo.id());
            StringBuilder u = new StringBuilder("SET #photos.#new = :photo, photoVersion = :next");
            int i = 0;
            for (String id : drop) {
                u.append(i == 0 ? " REMOVE " : ", ").append("#photos.#d").append(i);
                names.put("#d" + i, id);
                i++;
            }
            update = u.toString();
            condition = "photoVersion = :seen";
        }
        return DynamoCalls.conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(key(seen.reportId()))
                .updateExpression(update).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)));
    }

    @Override
    public boolean publish(String reportId, String photoId, int version, Instant at) {
        return settle(reportId, photoId, Photo.Status.PUBLISHED, null, version, at);
    }

    @Override
    public boolean refuse(String reportId, String photoId, String reason, Instant at) {
        return settle(reportId, photoId, Photo.Status.REFUSED, reason, null, at);
    }

    @Override
    public boolean hide(String reportId, String photoId, String reason, Instant at) {
        return move(reportId, photoId, Photo.Status.PUBLISHED, null, Photo.Status.HIDDEN, reason, null, at);
    }

    @Override
    public boolean republish(String reportId, String photoId, int from, int to, Instant at) {
        return move(reportId, photoId, Photo.Status.PUBLISHED, from, Photo.Status.PUBLISHED, null, to, at);
    }

    /** Moves a pending photo, bumping the album's counter (a reservation read before this must read again). */
    private boolean settle(String reportId, String photoId, Photo.Status to, String reason, Integer version, Instant at) {
        return move(reportId, photoId, Photo.Status.PENDING, null, to, reason, version, at);
    }

    /** One conditional update of a photo: from a status (and a version, when given) to another, with the counter bumped. */
    private boolean move(String reportId, String photoId, Photo.Status from, Integer fromVersion, Photo.Status to, String reason,
                         Integer version, Instant at) {
        Map<String, String> names = Map.of("#photos", PHOTOS, "#p", photoId, "#status", "status");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":to", s(to.name()), ":pending", s(from.name()),
                ":at", s(at.toString()), ":one", n(1)));
        String condition = "#photos.#p.#status = :pending" + (fromVersion == null ? "" : " AND #photos.#p.version = :from");
        if (fromVersion != null) {
            values.put(":from", n(fromVersion));
        }
        StringBuilder update = new StringBuilder("SET #photos.#p.#status = :to, #photos.#p.updatedAt = :at, photoVersion = photoVersion + :one");
        if (reason != null) {
            update.append(", #photos.#p.reason = :reason");
            values.put(":reason", s(reason));
        }
        if (version != null) {
            update.append(", #photos.#p.version = :version");
            values.put(":version", n(version));
        }
        return DynamoCalls.conditionally(() -> dynamo.updateItem(r -> r.tableName(table).key(key(reportId))
                .updateExpression(update.toString()).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)));
    }
}
