package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.territoire.feedback.photo.Photo;
import org.territoire.feedback.photo.PhotoStorage;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the feedback capability holds about a person, and its erasure at the account's deletion:
 * <ul>
 *   <li>an evaluation keeps counting in its service's summary but is no longer linkable: it moves,
 *       in one transaction, from {@code EVAL#<account>} to {@code EVAL#former:<random>}, and its
 *       handle (an HMAC of the service and the account, which the function could recompute) is
 *       replaced by a random one; its rating, text and reply stay; the summary is not touched;</li>
 *   <li>a report keeps its public text and history, authored by {@value Erasures#FORMER_RESIDENT}: the
 *       author link and its index entry ({@code REPORTS#BY#<account>}) are removed, and the reporter's
 *       contact item deleted; history steps the person took name {@value Erasures#FORMER_RESIDENT};</li>
 *   <li>a follow is removed, and the report's follower count moves down with it, in one transaction;</li>
 *   <li>what the person created as staff (services, Open311 keys) names {@value Erasures#FORMER_RESIDENT} as creator;</li>
 *   <li>the replay records of their requests (which may hold their answers) are deleted.</li>
 *   <li>a photo they uploaded to their report is deleted: every version of its published copy and
 *       thumbnail in the photos bucket first, then its entry in the report's {@code photos} map
 *       (a pothole is not personal, but its reporter, their car or their house may be in it, and
 *       nobody can tell which without looking; docs/decisions.md). A photo they uploaded as an
 *       operator stays, credited to {@value Erasures#FORMER_RESIDENT}, as what they created as staff.</li>
 * </ul>
 * Every step is conditioned on the item still naming the account, so a redelivered event, or two
 * deliveries at once, change nothing twice. The tombstone, written first, refuses an evaluation,
 * a report or a follow still being made with the person's token.
 */
public final class DynamoFeedbackPersonalData implements PersonalData {
    private static final String FORMER = Erasures.FORMER_RESIDENT;
    private final DynamoDbClient dynamo;
    private final String table;
    private final PhotoStorage photos;

    public DynamoFeedbackPersonalData(DynamoDbClient dynamo, String table, PhotoStorage photos) {
        this.dynamo = dynamo;
        this.table = table;
        this.photos = photos;
    }

    @Override
    public String capability() {
        return "feedback";
    }

    private List<Map<String, AttributeValue>> items(String accountId) {
        return Erasures.scanAll(dynamo, table, "authorId = :a OR actorId = :a OR createdBy = :a OR sk = :follow OR contains(responseBody, :a)"
                        + " OR sk = :reopen OR answeredBy = :a OR attribute_exists(photos)",
                Map.of(), Map.of(":a", s(accountId), ":follow", s("FOLLOW#" + accountId), ":reopen", s("REOPEN#" + accountId)));
    }

    private static String type(Map<String, AttributeValue> i) {
        String sk = i.get("sk").s();
        if (Erasures.replayRecord(i)) {
            return "replay";
        }
        if (sk.startsWith("EVAL#")) {
            return "evaluation";
        }
        if (sk.equals("REPORT")) {
            return "report";
        }
        if (sk.startsWith("HIST#")) {
            return "history";
        }
        if (sk.startsWith("FOLLOW#")) {
            return "follow";
        }
        // Closing the loop (org.territoire.feedback.loop.store): the author's resolution check, a resident's reopen request.
        if (sk.equals("CHECK")) {
            return "resolution-check";
        }
        if (sk.startsWith("REOPEN#")) {
            return "reopen-request";
        }
        return "created";
    }

    @Override
    public Map<String, Object> export(String accountId) {
        List<Map<String, Object>> evaluations = new ArrayList<>();
        List<Map<String, Object>> reports = new ArrayList<>();
        List<String> follows = new ArrayList<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Map<String, Object>> created = new ArrayList<>();
        List<Map<String, Object>> checks = new ArrayList<>();
        List<Map<String, Object>> reopens = new ArrayList<>();
        List<Map<String, Object>> uploads = new ArrayList<>();
        for (Map<String, AttributeValue> i : items(accountId)) {
            switch (type(i)) {
                case "evaluation" -> evaluations.add(plain(i, "serviceId", "handle", "rating", "comment", "createdAt", "updatedAt",
                        "reply", "repliedAt", "hidden", "hiddenReason"));
                case "report" -> {
                    photosOf(i, accountId).forEach((id, p) -> uploads.add(photoExport(i, id, p)));
                    if (!accountId.equals(str(i, "authorId"))) {
                        continue; // a report of someone else's, read for the photos the person added to it
                    }
                    Map<String, Object> report = plain(i, "id", "serviceId", "organisationId", "description", "latitude", "longitude",
                            "address", "mediaUrl", "contactPreference", "status", "duplicateOf", "followers", "createdAt", "updatedAt");
                    DynamoCalls.get(dynamo, table, Map.of("pk", i.get("pk"), "sk", s("REPORT#CONTACT")))
                            .ifPresent(c -> report.put("contact", plain(c, "email", "phone", "firstName", "lastName")));
                    reports.add(report);
                }
                case "follow" -> follows.add(i.get("pk").s().substring("REPORT#".length()));
                case "history" -> steps.add(plain(i, "at", "actorRole", "from", "to", "note", "reason"));
                case "resolution-check" -> checks.add(plain(i, "reportId", "state", "resolvedAt", "dueAt", "answer", "comment",
                        "answeredAt"));
                case "reopen-request" -> {
                    if (accountId.equals(str(i, "requesterId"))) {
                        reopens.add(plain(i, "reportId", "reason", "state", "requestedAt", "answer", "answeredAt"));
                    }
                }
                case "created" -> created.add(Map.of("item", i.get("pk").s(), "type", str(i, "type") == null ? "" : str(i, "type")));
                default -> {
                }
            }
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("readme", "evaluations: your ratings of the territory's services, under the handle others see; reports: the problems "
                + "you reported, with the contact you gave; follows: the reports you follow (ids); reportSteps: the steps of a report's "
                + "history you took; created: what you created as staff (services, Open311 keys); resolutionChecks: whether your resolved "
                + "reports were really fixed, as you answered; reopenRequests: the resolved reports you asked to reopen; photos: the photos you added to reports (status PUBLISHED or HIDDEN: "
                + "the key of its current published copy, which the report's photos (GET /reports/{id}/photos) show).");
        export.put("evaluations", evaluations);
        export.put("reports", reports);
        export.put("follows", follows);
        export.put("reportSteps", steps);
        export.put("created", created);
        export.put("resolutionChecks", checks);
        export.put("reopenRequests", reopens);
        export.put("photos", uploads);
        return export;
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        // First: an evaluation, a report or a follow still being made with the person's token is refused (see Erasures).
        Erasures.tombstone(dynamo, table, accountId, Instant.now());
        Map<String, Integer> done = new TreeMap<>();
        for (Map<String, AttributeValue> i : items(accountId)) {
            if (type(i).equals("report")) {
                // Before the report itself: its photos map is read from the same snapshot.
                photosOf(i, accountId).forEach((id, p) -> {
                    if (erasePhoto(i, id, p, accountId)) {
                        done.merge(Photo.Uploader.OPERATOR.name().equals(str(p, "by")) ? "photo-credited" : "photo", 1, Integer::sum);
                    }
                });
            }
            boolean changed = switch (type(i)) {
                case "evaluation" -> accountId.equals(str(i, "authorId")) && anonymiseEvaluation(i, accountId);
                case "report" -> accountId.equals(str(i, "authorId")) && anonymiseReport(i, accountId);
                case "history" -> accountId.equals(str(i, "actorId")) && rename(i, "actorId", accountId);
                case "follow" -> unfollow(i);
                // The question can no longer be put to anyone, and the request no longer names its requester: both go.
                case "resolution-check" -> accountId.equals(str(i, "authorId")) && deleteNaming(i, "authorId", accountId);
                case "reopen-request" -> accountId.equals(str(i, "requesterId")) ? deleteNaming(i, "requesterId", accountId)
                        : accountId.equals(str(i, "answeredBy")) && rename(i, "answeredBy", accountId);
                case "replay" -> {
                    Erasures.delete(dynamo, table, i);
                    yield true;
                }
                default -> accountId.equals(str(i, "createdBy")) && rename(i, "createdBy", accountId);
            };
            if (changed) {
                done.merge(type(i), 1, Integer::sum);
            }
        }
        return done;
    }

    /** Moves the evaluation under a random key and handle, in one transaction (the summary does not move). */
    private boolean anonymiseEvaluation(Map<String, AttributeValue> i, String accountId) {
        String former = "former:" + UUID.randomUUID();
        String handle = Erasures.randomHandle();
        String serviceId = i.get("serviceId").s();
        Map<String, AttributeValue> moved = new HashMap<>(i);
        moved.put("sk", s("EVAL#" + former));
        moved.put("authorId", s(former));
        moved.put("handle", s(handle));
        moved.put("gsi2pk", s("EVALS#H#" + serviceId + "#" + handle));
        if (i.containsKey("gsi1sk")) {
            String sort = i.get("gsi1sk").s();
            moved.put("gsi1sk", s(sort.substring(0, sort.lastIndexOf('#') + 1) + handle));
        }
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                        .conditionExpression("authorId = :a").expressionAttributeValues(Map.of(":a", s(accountId)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(moved).conditionExpression("attribute_not_exists(pk)")).build()));
    }

    /** The report stays public under {@value Erasures#FORMER_RESIDENT}; its index entry by author and its contact go. */
    private boolean anonymiseReport(Map<String, AttributeValue> i, String accountId) {
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                        .updateExpression("SET authorId = :former REMOVE gsi1pk, gsi1sk").conditionExpression("authorId = :a")
                        .expressionAttributeValues(Map.of(":former", s(FORMER), ":a", s(accountId)))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", i.get("pk"), "sk", s("REPORT#CONTACT")))).build()));
    }

    /** The entries of a report item's photos map that name the account as their uploader. */
    private static Map<String, Map<String, AttributeValue>> photosOf(Map<String, AttributeValue> report, String accountId) {
        Map<String, Map<String, AttributeValue>> mine = new TreeMap<>();
        AttributeValue map = report.get("photos");
        if (map != null && map.hasM()) {
            map.m().forEach((id, v) -> {
                if (v.hasM() && accountId.equals(str(v.m(), "authorId"))) {
                    mine.put(id, v.m());
                }
            });
        }
        return mine;
    }

    private static Map<String, Object> photoExport(Map<String, AttributeValue> report, String id, Map<String, AttributeValue> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("reportId", report.get("pk").s().substring("REPORT#".length()));
        out.putAll(plain(p, "by", "contentType", "status", "reason", "version", "createdAt", "updatedAt"));
        String status = str(p, "status");
        if ("PUBLISHED".equals(status) || "HIDDEN".equals(status)) {
            out.put("key", Photo.publishedKey(String.valueOf(out.get("reportId")), id, Integer.parseInt(p.get("version").n())));
        }
        return out;
    }

    /**
     * A resident's photo: its objects purged (every version), then its entry removed, conditioned
     * on the entry still naming the account, and the album's counter bumped (as any change of the
     * map, so a reservation read before must read again). Purged before the entry goes, so that a
     * failure in between leaves the entry for the redelivery to find; purged again after, in case
     * the processing published it in between (it finds no entry after this, and publishes nothing).
     * An operator's photo: its uploader renamed, once.
     */
    private boolean erasePhoto(Map<String, AttributeValue> report, String photoId, Map<String, AttributeValue> p, String accountId) {
        Map<String, AttributeValue> key = Map.of("pk", report.get("pk"), "sk", report.get("sk"));
        Map<String, String> names = Map.of("#photos", "photos", "#p", photoId, "#a", "authorId");
        if (Photo.Uploader.OPERATOR.name().equals(str(p, "by"))) {
            return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key)
                    .updateExpression("SET #photos.#p.#a = :former").conditionExpression("#photos.#p.#a = :a")
                    .expressionAttributeNames(names).expressionAttributeValues(Map.of(":former", s(FORMER), ":a", s(accountId)))));
        }
        String reportId = report.get("pk").s().substring("REPORT#".length());
        String prefix = Photo.publishedPrefix(reportId, photoId);
        photos.purge(prefix);
        boolean removed = DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key)
                .updateExpression("REMOVE #photos.#p SET photoVersion = photoVersion + :one").conditionExpression("#photos.#p.#a = :a")
                .expressionAttributeNames(names).expressionAttributeValues(Map.of(":a", s(accountId), ":one", n(1)))));
        photos.purge(prefix);
        return removed;
    }

    private boolean rename(Map<String, AttributeValue> i, String attribute, String accountId) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                .updateExpression("SET #a = :former").conditionExpression("#a = :a").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":former", s(FORMER), ":a", s(accountId)))));
    }

    private boolean deleteNaming(Map<String, AttributeValue> i, String attribute, String accountId) {
        return DynamoCalls.conditionally(() -> dynamo.deleteItem(d -> d.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                .conditionExpression("#a = :a").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":a", s(accountId)))));
    }

    /** As unfollowing would: the follow goes and the count moves down, together, once. */
    private boolean unfollow(Map<String, AttributeValue> i) {
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("pk", i.get("pk"), "sk", s("REPORT")))
                        .updateExpression("ADD followers :minus").conditionExpression("attribute_exists(pk) AND followers >= :one")
                        .expressionAttributeValues(Map.of(":minus", n(-1), ":one", n(1)))).build()));
    }

    /** The named attributes of an item, as JSON values. */
    static Map<String, Object> plain(Map<String, AttributeValue> i, String... names) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : names) {
            AttributeValue v = i.get(name);
            if (v == null) {
                continue;
            }
            if (v.s() != null) {
                out.put(name, v.s());
            } else if (v.n() != null) {
                out.put(name, new java.math.BigDecimal(v.n()));
            } else if (v.bool() != null) {
                out.put(name, v.bool());
            }
        }
        return out;
    }
}
