package org.territoire.bookings.store;

import static org.territoire.bookings.store.BookingsTable.TYPE;
import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.QuotaRule;
import org.territoire.bookings.booking.QuotaRules;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Quota rules: {@code QUOTARULE#KIND / RULE}. */
public final class DynamoQuotaRules implements QuotaRules {
    private final BookingsTable table;

    public DynamoQuotaRules(BookingsTable table) {
        this.table = table;
    }

    @Override
    public Optional<QuotaRule> find(ResourceKind kind) {
        return table.get(BookingsTable.quotaRuleKey(kind)).map(i -> rule(kind, i));
    }

    /** One update: {@code weeklySince} is set only if the weekly limit did not apply yet, and removed with it. */
    @Override
    public QuotaRule save(QuotaRule rule) {
        List<String> set = new ArrayList<>(List.of("#type = :type"));
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", s("QUOTARULE")));
        if (rule.maxActive() != null) {
            set.add("maxActive = :active");
            values.put(":active", n(rule.maxActive()));
        } else {
            remove.add("maxActive");
        }
        if (rule.maxMinutesPerWeek() != null) {
            set.add("maxMinutesPerWeek = :weekly");
            set.add("weeklySince = if_not_exists(weeklySince, :since)");
            values.put(":weekly", n(rule.maxMinutesPerWeek()));
            values.put(":since", s(Optional.ofNullable(rule.weeklySince()).orElse(Instant.EPOCH).toString()));
        } else {
            remove.add("maxMinutesPerWeek");
            remove.add("weeklySince");
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            Map<String, AttributeValue> stored = table.dynamo().updateItem(u -> u.tableName(table.name())
                    .key(BookingsTable.quotaRuleKey(rule.kind()))
                    .updateExpression(expression).expressionAttributeNames(Map.of("#type", TYPE))
                    .expressionAttributeValues(values).returnValues(ReturnValue.ALL_NEW))
                    .attributes();
            return rule(rule.kind(), stored);
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    private static QuotaRule rule(ResourceKind kind, Map<String, AttributeValue> i) {
        return new QuotaRule(kind,
                i.containsKey("maxActive") ? Integer.valueOf(i.get("maxActive").n()) : null,
                i.containsKey("maxMinutesPerWeek") ? Integer.valueOf(i.get("maxMinutesPerWeek").n()) : null,
                i.containsKey("weeklySince") ? Instant.parse(i.get("weeklySince").s()) : null);
    }
}
