package org.territoire.bookings.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.calendar.CalendarFeeds;
import org.territoire.shared.error.DomainError;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Calendar feeds: {@code USER#id / CALFEED} names the hash of the person's current secret,
 * {@code CALFEED#hash / FEED} whose feed that hash opens. Only hashes are stored.
 */
public final class DynamoCalendarFeeds implements CalendarFeeds {
    private final BookingsTable table;

    public DynamoCalendarFeeds(BookingsTable table) {
        this.table = table;
    }

    /**
     * One transaction: the person's pointer moves from the previous hash (the one read, so two
     * renewals at once cannot both pass and leave two live secrets), the new hash is written and
     * the previous one deleted.
     */
    @Override
    public void replace(String userId, String secretHash) {
        Optional<String> previous = table.get(BookingsTable.feedOfUserKey(userId)).map(i -> i.get("secretHash").s());
        Map<String, AttributeValue> pointer =
                new HashMap<>(BookingsTable.feedOfUserKey(userId));
        pointer.put("secretHash", s(secretHash));
        Map<String, AttributeValue> feed =
                new HashMap<>(BookingsTable.feedKey(secretHash));
        feed.put("userId", s(userId));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(pointer)
                .conditionExpression(previous.isPresent() ? "secretHash = :previous" : "attribute_not_exists(pk)")
                .expressionAttributeValues(previous.map(h -> Map.of(":previous", s(h))).orElse(null))).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(feed)).build());
        previous.ifPresent(h -> items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                .key(BookingsTable.feedKey(h))).build()));
        // No feed for an account erased meanwhile (its token outlived it): see Erasures.
        items.add(org.territoire.shared.accounts.Erasures.notErased(table.name(), userId));
        List<Integer> failed = table.transact(items);
        if (!failed.isEmpty() && failed.get(failed.size() - 1) == items.size() - 1) {
            throw DomainError.forbidden("this account was deleted");
        }
        if (!failed.isEmpty()) {
            throw DomainError.conflict("your calendar link was being renewed by another request; retry");
        }
    }

    @Override
    public Optional<String> owner(String secretHash) {
        return table.get(BookingsTable.feedKey(secretHash)).map(i -> i.get("userId").s());
    }
}
