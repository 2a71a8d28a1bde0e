package org.territoire.consultations.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A page of the consultations or the budgets, newest first, from their GSI1 partition
 * ({@code CONSULTATIONS}, {@code BUDGETS}): the scheduled ones only unless drafts are asked
 * for (agents). The page token's scope names the partition and the choice, so a token of one
 * listing is refused by another.
 */
public final class ScheduledListing {
    private ScheduledListing() {
    }

    public static Page<Map<String, AttributeValue>> page(DynamoDbClient dynamo, String table, PageTokens tokens, String partition,
                                                         boolean withDrafts, int limit, Optional<String> token) {
        String scope = partition.toLowerCase(Locale.ROOT) + "?drafts=" + withDrafts;
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("GSI1").scanIndexForward(false).limit(limit)
                .keyConditionExpression("gsi1pk = :p");
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(partition)));
        if (!withDrafts) {
            q.filterExpression("scheduled = :yes");
            values.put(":yes", AttributeValue.fromBool(true));
        }
        q.expressionAttributeValues(values);
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(dynamo, q.build());
        return new Page<>(page.items(), tokens.encode(scope, page.lastEvaluatedKey()));
    }
}
