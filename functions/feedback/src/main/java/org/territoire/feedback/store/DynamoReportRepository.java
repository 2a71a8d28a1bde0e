package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportRepository;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Reports in the feedback table:
 * <pre>
 *   REPORT#id   REPORT            the report (GSI1: REPORTS#BY#author; GSI2: REPORTS#ORG#org#STATUS)
 *   REPORT#id   HIST#millis#n     one step of its public history
 *   REPORT#id   FOLLOW#user       one follower
 * </pre>
 */
public final class DynamoReportRepository implements ReportRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoReportRepository(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public void create(Report r, StatusChange first) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.id(), "REPORT"));
        item.put("type", s("REPORT"));
        item.put("id", s(r.id()));
        item.put("serviceId", s(r.serviceId()));
        item.put("organisationId", s(r.organisationId()));
        item.put("authorId", s(r.authorId()));
        item.put("description", s(r.description()));
        if (r.latitude() != null) {
            item.put("latitude", n(r.latitude()));
            item.put("longitude", n(r.longitude()));
        }
        if (r.address() != null) {
            item.put("address", s(r.address()));
        }
        item.put("contactPreference", s(r.contactPreference().name()));
        item.put("status", s(r.status().name()));
        item.put("followers", n(0));
        item.put("createdAt", s(r.createdAt().toString()));
        item.put("updatedAt", s(r.updatedAt().toString()));
        item.put("gsi1pk", s("REPORTS#BY#" + r.authorId()));
        item.put("gsi1sk", s(r.createdAt() + "#" + r.id()));
        item.put("gsi2pk", s(orgPartition(r.organisationId(), r.status())));
        if (!commit(List.of(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")).build(), historyItem(r.id(), first)))) {
            throw new IllegalStateException("report id " + r.id() + " already taken");
        }
    }

    @Override
    public boolean changeStatus(Report r, StatusChange change, String duplicateOf) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", s(change.from().name()), ":to", s(change.to().name()),
                ":at", s(change.at().toString()), ":org", s(orgPartition(r.organisationId(), change.to()))));
        String update = "SET #status = :to, updatedAt = :at, gsi2pk = :org";
        if (duplicateOf != null) {
            update += ", duplicateOf = :dup";
            values.put(":dup", s(duplicateOf));
        }
        String expression = update;
        return commit(List.of(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(r.id(), "REPORT"))
                        .updateExpression(expression).conditionExpression("#status = :from")
                        .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)).build(),
                historyItem(r.id(), change)));
    }

    @Override
    public boolean follow(String reportId, String userId) {
        return commit(List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(key(reportId, "FOLLOW#" + userId))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(reportId, "REPORT"))
                        .updateExpression("ADD followers :one").conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(Map.of(":one", n(1)))).build()));
    }

    @Override
    public Optional<Report> find(String id) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(key(id, "REPORT"))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(report(item));
        } catch (SdkException e) {
            throw StorageException.from(e);
        }
    }

    @Override
    public List<StatusChange> history(String id) {
        List<StatusChange> out = new ArrayList<>();
        query(QueryRequest.builder().tableName(table).consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :h)")
                .expressionAttributeValues(Map.of(":pk", s("REPORT#" + id), ":h", s("HIST#"))).build())
                .items().forEach(i -> out.add(new StatusChange(Instant.parse(i.get("at").s()), i.get("actorId").s(),
                        i.containsKey("from") ? ReportStatus.valueOf(i.get("from").s()) : null, ReportStatus.valueOf(i.get("to").s()),
                        str(i, "note"), str(i, "reason"))));
        return out;
    }

    @Override
    public Page<Report> byAuthor(String authorId, int limit, Optional<String> token) {
        return page("GSI1", "gsi1pk", "REPORTS#BY#" + authorId, "reports?author=" + authorId, limit, token);
    }

    @Override
    public Page<Report> byOrganisation(String organisationId, ReportStatus status, int limit, Optional<String> token) {
        return page("GSI2", "gsi2pk", orgPartition(organisationId, status), "reports?org=" + organisationId + "&status=" + status,
                limit, token);
    }

    @Override
    public List<Report> openOf(String organisationId) {
        List<Report> open = new ArrayList<>();
        for (ReportStatus status : ReportStatus.values()) {
            if (!status.open()) {
                continue;
            }
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = query(QueryRequest.builder().tableName(table).indexName("GSI2")
                        .keyConditionExpression("gsi2pk = :p").expressionAttributeValues(Map.of(":p", s(orgPartition(organisationId, status))))
                        .exclusiveStartKey(from).build());
                page.items().forEach(i -> open.add(report(i)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return open;
    }

    private Page<Report> page(String index, String attribute, String partition, String scope, int limit, Optional<String> token) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index).limit(limit).scanIndexForward(false)
                .keyConditionExpression(attribute + " = :p").expressionAttributeValues(Map.of(":p", s(partition)));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = query(q.build());
        return new Page<>(page.items().stream().map(DynamoReportRepository::report).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    private TransactWriteItem historyItem(String reportId, StatusChange c) {
        Map<String, AttributeValue> item = new HashMap<>(key(reportId,
                String.format("HIST#%015d#%s", c.at().toEpochMilli(), UUID.randomUUID().toString().substring(0, 8))));
        item.put("at", s(c.at().toString()));
        item.put("actorId", s(c.actorId()));
        if (c.from() != null) {
            item.put("from", s(c.from().name()));
        }
        item.put("to", s(c.to().name()));
        if (c.note() != null) {
            item.put("note", s(c.note()));
        }
        if (c.reason() != null) {
            item.put("reason", s(c.reason()));
        }
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build();
    }

    /** False when a condition failed (the report moved meanwhile, or the follower already follows). */
    private boolean commit(List<TransactWriteItem> items) {
        return DynamoCalls.transact(dynamo, items);
    }

    private QueryResponse query(QueryRequest request) {
        return DynamoCalls.query(dynamo, request);
    }

    private static Report report(Map<String, AttributeValue> i) {
        return new Report(i.get("id").s(), i.get("serviceId").s(), i.get("organisationId").s(), i.get("authorId").s(),
                i.get("description").s(), i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null, str(i, "address"),
                Report.ContactPreference.valueOf(i.get("contactPreference").s()), ReportStatus.valueOf(i.get("status").s()),
                str(i, "duplicateOf"), Long.parseLong(i.get("followers").n()), Instant.parse(i.get("createdAt").s()),
                Instant.parse(i.get("updatedAt").s()));
    }

    private static String orgPartition(String organisationId, ReportStatus status) {
        return "REPORTS#ORG#" + organisationId + "#" + status;
    }

    private static Map<String, AttributeValue> key(String reportId, String sk) {
        return Map.of("pk", s("REPORT#" + reportId), "sk", s(sk));
    }
}
