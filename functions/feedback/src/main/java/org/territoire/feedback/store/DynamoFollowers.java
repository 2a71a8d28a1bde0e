package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.util.List;
import java.util.Map;
import org.territoire.feedback.events.PublishedReportEvents;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** A report's followers: its {@code REPORT#id / FOLLOW#user} items (see DynamoReportRepository). */
public final class DynamoFollowers implements PublishedReportEvents.Followers {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoFollowers(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<String> of(String reportId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :f)")
                        .expressionAttributeValues(Map.of(":pk", s("REPORT#" + reportId), ":f", s("FOLLOW#")))
                        .projectionExpression("sk").build())
                .stream().map(i -> i.get("sk").s().substring("FOLLOW#".length())).toList();
    }
}
