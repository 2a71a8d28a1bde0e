package org.territoire.notifications.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.notifications.delivery.DeliveryLog;
import org.territoire.notifications.delivery.Notice;
import org.territoire.notifications.preferences.Frequency;
import org.territoire.notifications.preferences.Kind;
import org.territoire.notifications.preferences.PreferenceStore;
import org.territoire.notifications.preferences.Preferences;
import org.territoire.notifications.push.PushSubscription;
import org.territoire.notifications.push.PushSubscriptions;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The notifications table (template.yaml, NotificationsTable). Items:
 * <ul>
 * <li>{@code PERSON#id / PREFS}: the person's frequencies (one attribute per kind), district and
 *     organisation, indexed by district (GSI1) and by organisation (GSI2), both sparse;</li>
 * <li>{@code PERSON#id / SENT#notice-key}: the delivery log, one per notice and recipient, written
 *     with {@code attribute_not_exists} before the mail goes, kept 90 days (TTL): longer than any
 *     event's retries (EventBridge keeps trying for 24 hours at most);</li>
 * <li>{@code HELD / id#at#notice-key}: a notice held for the person's digest;</li>
 * <li>{@code PERSON#id / DIGEST#day}: a digest claimed, with the removal of what it gathers;</li>
 * <li>{@code PERSON#id / PUSH#subscription-id}: a browser's push subscription, and
 *     {@code PERSON#id / PUSHES} their count, moved in the same transaction (at most N).</li>
 * </ul>
 */
public final class DynamoNotificationStore implements PreferenceStore, DeliveryLog, PushSubscriptions {
    static final String PREFS = "PREFS";
    static final String HELD = "HELD";
    static final Duration LOG_RETENTION = Duration.ofDays(90);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoNotificationStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String person(String accountId) {
        return "PERSON#" + accountId;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    // ------------------------------------------------------------ preferences

    @Override
    public Optional<Preferences> find(String accountId) {
        return DynamoCalls.get(dynamo, table, key(person(accountId), PREFS)).map(item -> {
            Map<Kind, Frequency> chosen = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                AttributeValue v = item.get("k_" + k.field());
                if (v != null) {
                    chosen.put(k, Frequency.valueOf(v.s()));
                }
            }
            return new Preferences(accountId, chosen, text(item, "district"), text(item, "organisation"),
                    text(item, "updatedAt").map(Instant::parse).orElse(null));
        });
    }

    @Override
    public void save(Preferences p) {
        Map<String, AttributeValue> item = new HashMap<>(key(person(p.accountId()), PREFS));
        p.chosen().forEach((k, f) -> item.put("k_" + k.field(), s(f.name())));
        p.district().ifPresent(d -> {
            item.put("district", s(d));
            item.put("gsi1pk", s("DISTRICT#" + d));
        });
        p.organisation().ifPresent(o -> {
            item.put("organisation", s(o));
            item.put("gsi2pk", s("ORG#" + o));
        });
        item.put("updatedAt", s(p.updatedAt().toString()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public void set(String accountId, Kind kind, Frequency frequency, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(person(accountId), PREFS))
                    .updateExpression("SET #k = :f, updatedAt = :at")
                    .expressionAttributeNames(Map.of("#k", "k_" + kind.field()))
                    .expressionAttributeValues(Map.of(":f", s(frequency.name()), ":at", s(at.toString()))));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public List<String> inDistrict(String district) {
        return audience("GSI1", "gsi1pk", "DISTRICT#" + district);
    }

    @Override
    public List<String> inOrganisation(String organisationId) {
        return audience("GSI2", "gsi2pk", "ORG#" + organisationId);
    }

    private List<String> audience(String index, String attribute, String value) {
        var items = DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName(index)
                .keyConditionExpression(attribute + " = :v").expressionAttributeValues(Map.of(":v", s(value)))
                .projectionExpression("pk").build());
        return items.stream().map(i -> i.get("pk").s().substring("PERSON#".length())).toList();
    }

    @Override
    public List<String> everyone() {
        List<String> ids = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                var startKey = start;
                var page = dynamo.scan(r -> r.tableName(table).exclusiveStartKey(startKey).filterExpression("sk = :p")
                        .expressionAttributeValues(Map.of(":p", s(PREFS))).projectionExpression("pk"));
                page.items().forEach(i -> ids.add(i.get("pk").s().substring("PERSON#".length())));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
        return ids;
    }

    @Override
    public void erase(String accountId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s(person(accountId)))).projectionExpression("pk, sk").build()).forEach(keys::add);
        DynamoCalls.queryAll(dynamo, heldQuery(accountId).toBuilder().projectionExpression("pk, sk").build()).forEach(keys::add);
        try {
            for (var k : keys) {
                dynamo.deleteItem(r -> r.tableName(table).key(Map.of("pk", k.get("pk"), "sk", k.get("sk"))));
            }
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    // ------------------------------------------------------------ delivery log

    private Map<String, AttributeValue> sent(String recipient, Notice notice) {
        Map<String, AttributeValue> item = new HashMap<>(key(person(recipient), "SENT#" + notice.key()));
        item.put("at", s(notice.at().toString()));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(notice.at().plus(LOG_RETENTION).getEpochSecond())));
        return item;
    }

    @Override
    public boolean claim(String recipient, Notice notice) {
        return DynamoCalls.putNew(dynamo, table, sent(recipient, notice));
    }

    @Override
    public void release(String recipient, Notice notice) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(person(recipient), "SENT#" + notice.key())));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public boolean hold(String recipient, Notice notice) {
        Map<String, AttributeValue> held = heldItem(recipient, notice);
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(sent(recipient, notice))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(held)).build()));
    }

    private QueryRequest heldQuery(String recipient) {
        return QueryRequest.builder().tableName(table).keyConditionExpression("pk = :h AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":h", s(HELD), ":r", s(recipient + "#"))).consistentRead(true).build();
    }

    @Override
    public List<String> withHeld() {
        var items = DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).keyConditionExpression("pk = :h")
                .expressionAttributeValues(Map.of(":h", s(HELD))).projectionExpression("sk").build());
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        items.forEach(i -> ids.add(i.get("sk").s().substring(0, i.get("sk").s().indexOf('#'))));
        return List.copyOf(ids);
    }

    @Override
    public List<Notice> held(String recipient) {
        var page = DynamoCalls.query(dynamo, heldQuery(recipient).toBuilder()
                .limit(org.territoire.notifications.delivery.NotificationService.DIGEST_MAX).build());
        List<Notice> notices = new ArrayList<>();
        for (var i : page.items()) {
            Map<String, String> params = new HashMap<>();
            i.get("params").m().forEach((k, v) -> params.put(k, v.s()));
            notices.add(new Notice(Kind.valueOf(i.get("kind").s()), i.get("noticeKey").s(), i.get("topic").s(), params,
                    Instant.parse(i.get("at").s())));
        }
        return notices;
    }

    private Map<String, AttributeValue> heldItem(String recipient, Notice n) {
        Map<String, AttributeValue> held = new HashMap<>(heldKey(recipient, n));
        held.put("kind", s(n.kind().name()));
        held.put("noticeKey", s(n.key()));
        held.put("topic", s(n.topic()));
        held.put("at", s(n.at().toString()));
        Map<String, AttributeValue> params = new HashMap<>();
        n.params().forEach((k, v) -> params.put(k, s(v)));
        held.put("params", AttributeValue.fromM(params));
        return held;
    }

    private Map<String, AttributeValue> heldKey(String recipient, Notice n) {
        return key(HELD, recipient + "#" + n.at() + "#" + n.key());
    }

    @Override
    public boolean takeDigest(String recipient, String day, List<Notice> notices, Instant at) {
        List<TransactWriteItem> items = new ArrayList<>();
        Map<String, AttributeValue> claim = new HashMap<>(key(person(recipient), "DIGEST#" + day));
        claim.put("at", s(at.toString()));
        claim.put("notices", AttributeValue.fromN(Integer.toString(notices.size())));
        claim.put("expiresAt", AttributeValue.fromN(Long.toString(at.plus(LOG_RETENTION).getEpochSecond())));
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(claim).conditionExpression("attribute_not_exists(pk)")).build());
        for (Notice n : notices) {
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(heldKey(recipient, n))
                    .conditionExpression("attribute_exists(pk)")).build());
        }
        return DynamoCalls.transact(dynamo, items);
    }

    @Override
    public void returnDigest(String recipient, String day, List<Notice> notices) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(person(recipient), "DIGEST#" + day)));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
        for (Notice n : notices) {
            Map<String, AttributeValue> held = heldItem(recipient, n);
            try {
                dynamo.putItem(r -> r.tableName(table).item(held));
            } catch (SdkException e) {
                throw StorageException.from(e);
            }
        }
    }

    // ------------------------------------------------------------ push subscriptions

    private static final String PUSHES = "PUSHES";

    private static Map<String, AttributeValue> pushItem(String accountId, PushSubscription p) {
        Map<String, AttributeValue> item = new HashMap<>(key(person(accountId), "PUSH#" + p.id()));
        item.put("endpoint", s(p.endpoint()));
        item.put("p256dh", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(p.p256dh())));
        item.put("auth", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(p.auth())));
        item.put("createdAt", s(p.createdAt().toString()));
        return item;
    }

    /**
     * A new subscription and the count's increment, conditioned on the count being under
     * {@code max}, in one transaction: two browsers subscribing at once cannot both take the last
     * place. The same endpoint again replaces its keys and leaves the count alone.
     */
    @Override
    public Added addSubscription(String accountId, PushSubscription subscription, int max) {
        Map<String, AttributeValue> item = pushItem(accountId, subscription);
        List<Integer> failed = DynamoCalls.failedConditions(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(person(accountId), PUSHES))
                        .updateExpression("ADD n :one").conditionExpression("attribute_not_exists(n) OR n < :max")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":max", AttributeValue.fromN(Integer.toString(max)))))
                        .build()));
        if (failed.isEmpty()) {
            return Added.NEW;
        }
        if (failed.contains(0)) {
            boolean renewed = DynamoCalls.conditionally(() -> dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_exists(pk)")));
            return renewed ? Added.RENEWED : addSubscription(accountId, subscription, max);
        }
        return Added.FULL;
    }

    @Override
    public boolean removeSubscription(String accountId, String id) {
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(person(accountId), "PUSH#" + id))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(person(accountId), PUSHES))
                        .updateExpression("ADD n :minus").conditionExpression("n > :zero")
                        .expressionAttributeValues(Map.of(":minus", AttributeValue.fromN("-1"), ":zero", AttributeValue.fromN("0")))).build()));
    }

    @Override
    public List<PushSubscription> subscriptions(String accountId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                .expressionAttributeValues(Map.of(":p", s(person(accountId)), ":s", s("PUSH#"))).consistentRead(true).build())
                .stream().map(i -> new PushSubscription(i.get("sk").s().substring("PUSH#".length()), i.get("endpoint").s(),
                        i.get("p256dh").b().asByteArray(), i.get("auth").b().asByteArray(), Instant.parse(i.get("createdAt").s())))
                .toList();
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }
}
