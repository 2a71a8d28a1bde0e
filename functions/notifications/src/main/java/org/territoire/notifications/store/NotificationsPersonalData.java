package org.territoire.notifications.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.notifications.preferences.Preferences;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The notifications capability's part of a person's export ({@code notifications.json}): their
 * preferences and the audiences recorded with them, the delivery log (which notice, of what
 * object, when: no message bodies, which were never stored), the digests sent and the notices
 * held for the next one. Read from the person's own partition and their part of {@code HELD}.
 * Erasure stays in {@link DynamoNotificationStore#erase} (the Account Deleted path of the events
 * function).
 */
public final class NotificationsPersonalData implements PersonalData {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoNotificationStore store;

    public NotificationsPersonalData(DynamoDbClient dynamo, String table, DynamoNotificationStore store) {
        this.dynamo = dynamo;
        this.table = table;
        this.store = store;
    }

    @Override
    public String capability() {
        return "notifications";
    }

    @Override
    public Map<String, Object> export(String accountId) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("readme", "Your notification preferences (by kind; IMMEDIATELY unless you chose otherwise), the district and "
                + "organisation recorded when you saved them, the mails sent to you (kind, what about, when; kept 90 days), "
                + "the daily digests sent and the notices held for the next one. Mail is the only channel: there are no push settings.");
        Preferences p = store.find(accountId).orElse(Preferences.none(accountId));
        Map<String, Object> prefs = new LinkedHashMap<>();
        p.all().forEach((k, f) -> prefs.put(k.field(), f.name()));
        doc.put("preferences", prefs);
        doc.put("savedPreferences", store.find(accountId).isPresent());
        p.district().ifPresent(d -> doc.put("district", d));
        p.organisation().ifPresent(o -> doc.put("organisation", o));
        if (p.updatedAt() != null) {
            doc.put("preferencesUpdatedAt", org.territoire.shared.json.Json.time(p.updatedAt()));
        }
        List<Map<String, Object>> deliveries = new ArrayList<>();
        List<Map<String, Object>> digests = new ArrayList<>();
        for (var item : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("PERSON#" + accountId))).consistentRead(true).build())) {
            String sk = item.get("sk").s();
            if (sk.startsWith("SENT#")) {
                deliveries.add(notice(sk.substring("SENT#".length()), item.get("at")));
            } else if (sk.startsWith("DIGEST#")) {
                Map<String, Object> digest = new LinkedHashMap<>();
                digest.put("day", sk.substring("DIGEST#".length()));
                digest.put("sentAt", time(item.get("at")));
                digest.put("notices", item.containsKey("notices") ? Integer.parseInt(item.get("notices").n()) : 0);
                digests.add(digest);
            }
        }
        doc.put("deliveries", deliveries);
        doc.put("digests", digests);
        List<Map<String, Object>> held = new ArrayList<>();
        for (var item : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :h AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":h", s(DynamoNotificationStore.HELD), ":r", s(accountId + "#"))).consistentRead(true).build())) {
            Map<String, Object> n = notice(item.get("noticeKey").s(), item.get("at"));
            n.put("kind", item.get("kind").s());
            held.add(n);
        }
        doc.put("heldForDigest", held);
        return doc;
    }

    /** A notice key is {@code topic#objectId#moment...}: what the mail was about, without its text. */
    private static Map<String, Object> notice(String key, AttributeValue at) {
        String[] parts = key.split("#", 3);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("topic", parts[0]);
        if (parts.length > 1) {
            n.put("objectId", parts[1]);
        }
        n.put("at", time(at));
        return n;
    }

    private static String time(AttributeValue at) {
        return at == null || at.s() == null ? null : org.territoire.shared.json.Json.time(Instant.parse(at.s()));
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        store.erase(accountId);
        return Map.of();
    }
}
