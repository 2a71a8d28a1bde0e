package org.territoire.feedback.loop.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.feedback.loop.LoopRepository;
import org.territoire.feedback.loop.ReopenRequest;
import org.territoire.feedback.loop.ReportStats;
import org.territoire.feedback.loop.ResolutionCheck;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.feedback.store.DynamoReportRepository;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Resolution checks and reopen requests in the feedback table, beside their report:
 * <pre>
 *   REPORT#id   CHECK           its resolution check, written with the resolution (a new resolution replaces it);
 *                               GSI4 (sparse): CHECKS#PENDING, then CHECKS#UNANNOUNCED once due until its event
 *                               is published, then in no index; sorted by resolvedAt#id (gsi1sk)
 *   REPORT#id   REOPEN#person   that person's latest reopen request; GSI2 (sparse) REOPENS#ORG#org#PENDING while
 *                               pending, sorted by requestedAt (gsi1sk)
 *   STATS       REPORTS#90D     the public figures the sweep computed last ({@code figures}: their JSON)
 * </pre>
 * The sweep reads the checks resolved long enough ago with one Query of GSI4's CHECKS#PENDING
 * partition, never a Scan; its marking is conditioned on the check still being pending, so
 * two sweeps at once (GSI reads are eventually consistent) mark it once. The partitions are
 * written once per resolution or request, far below a partition's 1,000 writes a second.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html
 */
public final class DynamoLoopRepository implements LoopRepository {
    static final String CHECK = "CHECK";
    private static final String REOPEN = "REOPEN#";
    private static final String PENDING_CHECKS = "CHECKS#PENDING";
    private static final String UNANNOUNCED_CHECKS = "CHECKS#UNANNOUNCED";
    private static final String STATS = "STATS";
    private static final String STATS_WINDOW = "REPORTS#90D";

    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;
    private final DynamoReportRepository reports;

    public DynamoLoopRepository(DynamoDbClient dynamo, String table, PageTokens tokens, DynamoReportRepository reports) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
        this.reports = reports;
    }

    /**
     * The check a resolution schedules, as an item of the resolution's own transaction; none for a
     * report whose author has no account to ask (an Open311 client's, an erased one's).
     */
    public static Optional<TransactWriteItem> scheduledCheck(String table, Report r, Instant resolvedAt) {
        if (r.authorId() == null || r.authorId().startsWith("open311:") || Erasures.FORMER_RESIDENT.equals(r.authorId())) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = new HashMap<>(key(r.id(), CHECK));
        item.put("type", s("RESOLUTION_CHECK"));
        item.put("reportId", s(r.id()));
        item.put("authorId", s(r.authorId()));
        item.put("organisationId", s(r.organisationId()));
        item.put("resolvedAt", s(resolvedAt.toString()));
        item.put("state", s(ResolutionCheck.State.PENDING.name()));
        item.put("gsi4pk", s(PENDING_CHECKS));
        item.put("gsi1sk", s(DynamoReportRepository.sortKey(resolvedAt) + "#" + r.id()));
        return Optional.of(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build());
    }

    @Override
    public List<ResolutionCheck> pendingResolvedBefore(Instant cutoff, int limit) {
        return DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName("GSI4").limit(limit)
                .keyConditionExpression("gsi4pk = :p AND gsi1sk < :cut")
                .expressionAttributeValues(Map.of(":p", s(PENDING_CHECKS), ":cut", s(DynamoReportRepository.sortKey(cutoff))))
                .build()).items().stream().map(DynamoLoopRepository::check).toList();
    }

    @Override
    public List<ResolutionCheck> dueUnannounced(Instant before, int limit) {
        return DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName("GSI4").limit(limit)
                .keyConditionExpression("gsi4pk = :p").filterExpression("dueAt < :before")
                .expressionAttributeValues(Map.of(":p", s(UNANNOUNCED_CHECKS), ":before", s(before.toString())))
                .build()).items().stream().map(DynamoLoopRepository::check).toList();
    }

    @Override
    public boolean markDue(ResolutionCheck c, Instant at) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(c.reportId(), CHECK))
                .updateExpression("SET #state = :due, dueAt = :at, gsi4pk = :unannounced")
                .conditionExpression("#state = :pending AND resolvedAt = :resolved")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(":due", s("DUE"), ":at", s(at.toString()), ":unannounced", s(UNANNOUNCED_CHECKS),
                        ":pending", s("PENDING"), ":resolved", s(c.resolvedAt().toString())))));
    }

    @Override
    public void announced(ResolutionCheck c) {
        // Nothing to do when it has left the index already (answered, or announced by another sweep).
        DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(c.reportId(), CHECK))
                .updateExpression("REMOVE gsi4pk, gsi1sk").conditionExpression("gsi4pk = :unannounced AND resolvedAt = :resolved")
                .expressionAttributeValues(Map.of(":unannounced", s(UNANNOUNCED_CHECKS), ":resolved", s(c.resolvedAt().toString())))));
    }

    @Override
    public Optional<ResolutionCheck> check(String reportId) {
        return DynamoCalls.get(dynamo, table, key(reportId, CHECK)).map(DynamoLoopRepository::check);
    }

    @Override
    public boolean answer(ResolutionCheck c, ResolutionCheck.Answer answer, String comment, Instant at) {
        return DynamoCalls.transact(dynamo, List.of(answered(c, answer, comment, at)));
    }

    @Override
    public boolean answerNoAndReopen(Report report, ResolutionCheck c, String comment, StatusChange step) {
        List<TransactWriteItem> items = new ArrayList<>(reopened(report, step));
        items.add(answered(c, ResolutionCheck.Answer.NO, comment, step.at()));
        return DynamoCalls.transact(dynamo, items);
    }

    /** DUE to ANSWERED, out of the sweep's index. */
    private TransactWriteItem answered(ResolutionCheck c, ResolutionCheck.Answer answer, String comment, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":answered", s("ANSWERED"), ":answer", s(answer.name()),
                ":at", s(at.toString()), ":due", s("DUE"), ":resolved", s(c.resolvedAt().toString())));
        Map<String, String> names = new HashMap<>(Map.of("#state", "state", "#answer", "answer"));
        String set = "SET #state = :answered, #answer = :answer, answeredAt = :at";
        if (comment != null) {
            set += ", #comment = :comment";
            values.put(":comment", s(comment));
            names.put("#comment", "comment");
        }
        String update = set + " REMOVE gsi4pk, gsi1sk";
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(c.reportId(), CHECK)).updateExpression(update)
                .conditionExpression("#state = :due AND resolvedAt = :resolved")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /**
     * The report from resolved back to {@code step.to()}, with its history step; the reporter's
     * contact, which its close had set to expire, is kept again while the report is open.
     */
    private List<TransactWriteItem> reopened(Report report, StatusChange step) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(report.id(), "REPORT"))
                .updateExpression("SET #status = :to, updatedAt = :at, gsi2pk = :org, reopenedAt = :at ADD reopenings :one")
                .conditionExpression("#status = :from").expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":to", s(step.to().name()), ":at", s(step.at().toString()),
                        ":org", s(DynamoReportRepository.orgPartition(report.organisationId(), step.to())), ":one", n(1),
                        ":from", s(step.from().name())))).build());
        items.add(reports.historyItem(report.id(), step));
        if (report.contact() != null) {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(report.id(), "REPORT#CONTACT"))
                    .updateExpression("REMOVE expiresAt").conditionExpression("attribute_exists(pk)")).build());
        }
        return items;
    }

    @Override
    public boolean request(ReopenRequest q) {
        Map<String, AttributeValue> item = new HashMap<>(key(q.reportId(), REOPEN + q.requesterId()));
        item.put("type", s("REOPEN_REQUEST"));
        item.put("reportId", s(q.reportId()));
        item.put("organisationId", s(q.organisationId()));
        item.put("requesterId", s(q.requesterId()));
        item.put("reason", s(q.reason()));
        item.put("state", s(q.state().name()));
        item.put("requestedAt", s(q.requestedAt().toString()));
        item.put("gsi2pk", s(pendingPartition(q.organisationId())));
        item.put("gsi1sk", s(DynamoReportRepository.sortKey(q.requestedAt()) + "#" + q.reportId() + "#" + q.requesterId()));
        // Refused if the requester's account was erased meanwhile (their token outlived it), as a follow is.
        return Erasures.transactUnlessErased(dynamo, table, q.requesterId(), List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR #state <> :pending")
                        .expressionAttributeNames(Map.of("#state", "state"))
                        .expressionAttributeValues(Map.of(":pending", s("PENDING")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(q.reportId(), "REPORT"))
                        .conditionExpression("#status = :resolved").expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":resolved", s(ReportStatus.RESOLVED.name())))).build()));
    }

    @Override
    public Optional<ReopenRequest> request(String reportId, String requesterId) {
        return DynamoCalls.get(dynamo, table, key(reportId, REOPEN + requesterId)).map(DynamoLoopRepository::request);
    }

    @Override
    public List<ReopenRequest> requests(String reportId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":pk", s("REPORT#" + reportId), ":r", s(REOPEN))).build())
                .stream().map(DynamoLoopRepository::request)
                .sorted(java.util.Comparator.comparing(ReopenRequest::requestedAt)).toList();
    }

    @Override
    public Page<ReopenRequest> pending(String organisationId, int limit, Optional<String> token) {
        String scope = "reopen-requests?org=" + organisationId;
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("GSI2").limit(limit)
                .keyConditionExpression("gsi2pk = :p").expressionAttributeValues(Map.of(":p", s(pendingPartition(organisationId))));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(dynamo, q.build());
        return new Page<>(page.items().stream().map(DynamoLoopRepository::request).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    @Override
    public boolean refuse(ReopenRequest q, String answeredBy, String reason, Instant at) {
        return DynamoCalls.transact(dynamo, List.of(decided(q, ReopenRequest.State.REFUSED, answeredBy, reason, at)));
    }

    @Override
    public boolean accept(ReopenRequest q, String answeredBy, Instant at) {
        return DynamoCalls.transact(dynamo, List.of(decided(q, ReopenRequest.State.ACCEPTED, answeredBy, null, at)));
    }

    @Override
    public boolean acceptAndReopen(Report report, ReopenRequest q, StatusChange step) {
        List<TransactWriteItem> items = new ArrayList<>(reopened(report, step));
        items.add(decided(q, ReopenRequest.State.ACCEPTED, q.answeredBy(), q.answer(), step.at()));
        // A check still to come, or due, no longer asks about a resolution that was undone.
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(report.id(), CHECK))).build());
        return DynamoCalls.transact(dynamo, items);
    }

    /** PENDING to its answer, out of the operator's queue. */
    private TransactWriteItem decided(ReopenRequest q, ReopenRequest.State state, String answeredBy, String answer, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":state", s(state.name()), ":by", s(answeredBy),
                ":at", s(at.toString()), ":pending", s("PENDING")));
        Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
        String set = "SET #state = :state, answeredBy = :by, answeredAt = :at";
        if (answer != null) {
            set += ", #answer = :answer";
            values.put(":answer", s(answer));
            names.put("#answer", "answer");
        }
        String update = set + " REMOVE gsi2pk, gsi1sk";
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(q.reportId(), REOPEN + q.requesterId()))
                .updateExpression(update).conditionExpression("#state = :pending")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    @Override
    public List<ReportStats.Timing> filedBetween(Instant since, Instant until) {
        // The reports' months (GSI4, as Open311's search reads them), from the window's first to the current one.
        List<ReportStats.Timing> out = new ArrayList<>();
        java.time.YearMonth month = java.time.YearMonth.from(since.atZone(java.time.ZoneOffset.UTC));
        java.time.YearMonth last = java.time.YearMonth.from(until.atZone(java.time.ZoneOffset.UTC));
        for (; !month.isAfter(last); month = month.plusMonths(1)) {
            DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI4")
                    .keyConditionExpression("gsi4pk = :p AND gsi1sk BETWEEN :since AND :until")
                    .projectionExpression("serviceId, organisationId, #status, createdAt, acknowledgedAt, firstResolvedAt, reopenings")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":p", s("REPORTS#MONTH#" + month), ":since", s(DynamoReportRepository.sortKey(since)),
                            ":until", s(DynamoReportRepository.sortKey(until) + "~")))
                    .build()).forEach(i -> out.add(new ReportStats.Timing(str(i, "serviceId"), str(i, "organisationId"),
                    ReportStatus.valueOf(str(i, "status")), Instant.parse(str(i, "createdAt")), time(i, "acknowledgedAt"),
                    time(i, "firstResolvedAt"), i.containsKey("reopenings") ? Long.parseLong(i.get("reopenings").n()) : 0)));
        }
        return out;
    }

    @Override
    public void saveStats(ReportStats stats) {
        // One item, far below DynamoDB's 400 KB: a group per category and per operator.
        DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(Map.of("pk", s(STATS), "sk", s(STATS_WINDOW),
                "type", s("REPORT_STATS"), "computedAt", s(stats.computedAt().toString()), "figures", s(Json.write(stats))))));
    }

    @Override
    public Optional<ReportStats> stats() {
        return DynamoCalls.get(dynamo, table, Map.of("pk", s(STATS), "sk", s(STATS_WINDOW)))
                .map(i -> Json.readBody(i.get("figures").s(), ReportStats.class));
    }

    private static ResolutionCheck check(Map<String, AttributeValue> i) {
        return new ResolutionCheck(str(i, "reportId"), str(i, "authorId"), Instant.parse(str(i, "resolvedAt")),
                ResolutionCheck.State.valueOf(str(i, "state")), time(i, "dueAt"),
                i.containsKey("answer") ? ResolutionCheck.Answer.valueOf(str(i, "answer")) : null, str(i, "comment"),
                time(i, "answeredAt"));
    }

    private static ReopenRequest request(Map<String, AttributeValue> i) {
        return new ReopenRequest(str(i, "reportId"), str(i, "organisationId"), str(i, "requesterId"), str(i, "reason"),
                ReopenRequest.State.valueOf(str(i, "state")), Instant.parse(str(i, "requestedAt")), str(i, "answeredBy"),
                str(i, "answer"), time(i, "answeredAt"));
    }

    private static Instant time(Map<String, AttributeValue> i, String name) {
        return i.containsKey(name) ? Instant.parse(i.get(name).s()) : null;
    }

    private static String pendingPartition(String organisationId) {
        return "REOPENS#ORG#" + organisationId + "#PENDING";
    }

    private static Map<String, AttributeValue> key(String reportId, String sk) {
        return Map.of("pk", s("REPORT#" + reportId), "sk", s(sk));
    }
}
