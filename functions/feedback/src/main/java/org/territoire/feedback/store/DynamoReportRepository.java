package org.territoire.feedback.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportRepository;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.feedback.report.StatusChange;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Reports in the feedback table:
 * <pre>
 *   REPORT#id   REPORT            the report (GSI1: REPORTS#BY#author; GSI2: REPORTS#ORG#org#STATUS;
 *                                 GSI3: REPORTS#CELL#lat#lon, its map cell; GSI4: REPORTS#MONTH#yyyy-MM, when filed)
 *   REPORT#id   REPORT#CONTACT    its reporter's contact, when an Open311 client passed one on; in no index;
 *                                 {@code expiresAt} (TTL) once the report is closed
 *   REPORT#id   HIST#millis#n     one step of its public history
 *   REPORT#id   FOLLOW#user       one follower
 * </pre>
 *
 * <p>A map cell is {@value #CELL_DEGREES} degrees square (about 5.5 by 4 km in France): a map's
 * box reads the few cells it covers, and a filter keeps exactly what lies in the box. Months of
 * filing partition the Open311 search, whose window is at most 90 days, so at most four months.
 *
 * <p>The contact is an item of its own so that DynamoDB's TTL can delete it alone, with the
 * report staying. TTL deletes within days of the expiry, not at it, so reads treat a contact
 * past its {@code expiresAt} as absent.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
public final class DynamoReportRepository implements ReportRepository {
    static final double CELL_DEGREES = 0.05;
    private static final String CELL = "cell";
    private static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final String REPORT = "REPORT";
    private static final String CONTACT = "REPORT#CONTACT";

    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;
    private final Clock clock;

    public DynamoReportRepository(DynamoDbClient dynamo, String table, PageTokens tokens, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public void create(Report r, StatusChange first) {
        Map<String, AttributeValue> item = new HashMap<>(key(r.id(), REPORT));
        item.put("type", s("REPORT"));
        item.put("id", s(r.id()));
        item.put("serviceId", s(r.serviceId()));
        item.put("organisationId", s(r.organisationId()));
        item.put("authorId", s(r.authorId()));
        if (r.description() != null) {
            item.put("description", s(r.description()));
        }
        if (r.latitude() != null) {
            item.put("latitude", n(r.latitude()));
            item.put("longitude", n(r.longitude()));
            item.put("gsi3pk", s(cellPartition(cell(r.latitude()), cell(r.longitude()))));
        }
        item.put("gsi4pk", s(monthPartition(r.createdAt())));
        if (r.mediaUrl() != null) {
            item.put("mediaUrl", s(r.mediaUrl()));
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
        item.put("gsi1sk", s(sortKey(r.createdAt()) + "#" + r.id()));
        item.put("gsi2pk", s(orgPartition(r.organisationId(), r.status())));
        List<TransactWriteItem> items = new ArrayList<>(List.of(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(pk)")).build(), historyItem(r.id(), first)));
        if (r.contact() != null) {
            Map<String, AttributeValue> contact = new HashMap<>(key(r.id(), CONTACT));
            contact.put("type", s("REPORT_CONTACT"));
            putIfPresent(contact, "email", r.contact().email());
            putIfPresent(contact, "phone", r.contact().phone());
            putIfPresent(contact, "firstName", r.contact().firstName());
            putIfPresent(contact, "lastName", r.contact().lastName());
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(contact)
                    .conditionExpression("attribute_not_exists(pk)")).build());
        }
        // Refused if the author's account was erased meanwhile (their token outlived it): see Erasures.
        if (!org.territoire.shared.accounts.Erasures.transactUnlessErased(dynamo, table, r.authorId(), items)) {
            throw DomainError.conflict("a report with this id already exists");
        }
    }

    @Override
    public boolean changeStatus(Report r, StatusChange change, String duplicateOf, Instant contactExpiresAt) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", s(change.from().name()), ":to", s(change.to().name()),
                ":at", s(change.at().toString()), ":org", s(orgPartition(r.organisationId(), change.to()))));
        String update = "SET #status = :to, updatedAt = :at, gsi2pk = :org";
        // What the public figures measure (GET /reports/stats): the first move out of OPEN and the first resolution.
        if (change.from() == ReportStatus.OPEN) {
            update += ", acknowledgedAt = if_not_exists(acknowledgedAt, :at)";
        }
        if (change.to() == ReportStatus.RESOLVED) {
            update += ", firstResolvedAt = if_not_exists(firstResolvedAt, :at)";
        }
        if (duplicateOf != null) {
            update += ", duplicateOf = :dup";
            values.put(":dup", s(duplicateOf));
        }
        String expression = update;
        List<TransactWriteItem> items = new ArrayList<>(List.of(TransactWriteItem.builder().update(u -> u.tableName(table)
                        .key(key(r.id(), REPORT)).updateExpression(expression).conditionExpression("#status = :from")
                        .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)).build(),
                historyItem(r.id(), change)));
        if (change.to() == ReportStatus.RESOLVED) {
            // The question its author is asked some weeks later (closing the loop), scheduled with the resolution.
            org.territoire.feedback.loop.store.DynamoLoopRepository.scheduledCheck(table, r, change.at()).ifPresent(items::add);
        }
        if (contactExpiresAt != null) {
            // TTL wants epoch seconds; attribute_exists keeps the update from creating a contact.
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(r.id(), CONTACT))
                    .updateExpression("SET expiresAt = :exp").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":exp", n(contactExpiresAt.getEpochSecond())))).build());
        }
        return commit(items);
    }

    @Override
    public boolean follow(String reportId, String userId) {
        return org.territoire.shared.accounts.Erasures.transactUnlessErased(dynamo, table, userId, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(key(reportId, "FOLLOW#" + userId))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(reportId, REPORT))
                        .updateExpression("ADD followers :one").conditionExpression("attribute_exists(pk)")
                        .expressionAttributeValues(Map.of(":one", n(1)))).build()));
    }

    @Override
    public Optional<Report> find(String id) {
        // One consistent read for both items: "REPORT" and "REPORT#CONTACT" share the prefix, nothing else does.
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        query(QueryRequest.builder().tableName(table).consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":pk", s("REPORT#" + id), ":r", s(REPORT))).build())
                .items().forEach(i -> items.put(i.get("sk").s(), i));
        return Optional.ofNullable(items.get(REPORT)).map(i -> withContact(report(i), items.get(CONTACT)));
    }

    /** The report with its contact, unless there is none or it is past its expiry (TTL may not have deleted it yet). */
    private Report withContact(Report r, Map<String, AttributeValue> c) {
        if (c == null) {
            return r;
        }
        Instant expires = c.containsKey("expiresAt") ? Instant.ofEpochSecond(Long.parseLong(c.get("expiresAt").n())) : null;
        if (expires != null && !clock.instant().isBefore(expires)) {
            return r;
        }
        return new Report(r.id(), r.serviceId(), r.organisationId(), r.authorId(), r.description(), r.latitude(), r.longitude(),
                r.address(), r.contactPreference(), r.status(), r.duplicateOf(), r.followers(), r.createdAt(), r.updatedAt(),
                r.mediaUrl(), new Report.Contact(str(c, "email"), str(c, "phone"), str(c, "firstName"), str(c, "lastName"), expires));
    }

    @Override
    public List<StatusChange> history(String id) {
        List<StatusChange> out = new ArrayList<>();
        query(QueryRequest.builder().tableName(table).consistentRead(true).keyConditionExpression("pk = :pk AND begins_with(sk, :h)")
                .expressionAttributeValues(Map.of(":pk", s("REPORT#" + id), ":h", s("HIST#"))).build())
                .items().forEach(i -> out.add(new StatusChange(Instant.parse(i.get("at").s()), i.get("actorId").s(), actorRole(i),
                        i.containsKey("from") ? ReportStatus.valueOf(i.get("from").s()) : null, ReportStatus.valueOf(i.get("to").s()),
                        str(i, "note"), str(i, "reason"))));
        return out;
    }

    /** Steps stored before roles were: the first one is the reporter's, the others an operator's. */
    private static String actorRole(Map<String, AttributeValue> step) {
        String role = str(step, "actorRole");
        return role != null ? role : step.containsKey("from") ? StatusChange.OPERATOR : StatusChange.RESIDENT;
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
            DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI2")
                    .keyConditionExpression("gsi2pk = :p").expressionAttributeValues(Map.of(":p", s(orgPartition(organisationId, status))))
                    .build()).forEach(i -> open.add(report(i)));
        }
        return open;
    }

    @Override
    public Page<Report> inArea(ReportService.Area area, Set<ReportStatus> statuses, int limit, Optional<String> token) {
        List<String> cells = new ArrayList<>();
        for (long lat = cell(area.south()); lat <= cell(area.north()); lat++) {
            for (long lon = cell(area.west()); lon <= cell(area.east()); lon++) {
                cells.add(cellPartition(lat, lon));
            }
        }
        List<ReportStatus> wanted = List.copyOf(new java.util.TreeSet<>(statuses));
        String scope = "reports?bbox=" + area + "&status=" + wanted;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", n(area.south()), ":n", n(area.north()),
                ":w", n(area.west()), ":e", n(area.east())));
        String filter = "latitude BETWEEN :s AND :n AND longitude BETWEEN :w AND :e AND "
                + in("#status", "st", wanted.stream().map(Enum::name).toList(), values);
        // The token says which cell to read next, and where in it.
        Map<String, AttributeValue> start = tokens.decode(scope, token).map(HashMap::new).orElseGet(HashMap::new);
        int cellIndex = start.containsKey(CELL) ? Integer.parseInt(start.remove(CELL).n()) : 0;
        List<Report> found = new ArrayList<>();
        while (cellIndex < cells.size() && found.size() < limit) {
            values.put(":p", s(cells.get(cellIndex)));
            QueryResponse page = query(QueryRequest.builder().tableName(table).indexName("GSI3").scanIndexForward(false)
                    .keyConditionExpression("gsi3pk = :p").filterExpression(filter).limit(limit - found.size())
                    .expressionAttributeNames(Map.of("#status", "status")).expressionAttributeValues(values)
                    .exclusiveStartKey(start.isEmpty() ? null : start).build());
            page.items().forEach(i -> found.add(report(i)));
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                start = new HashMap<>(page.lastEvaluatedKey());
            } else {
                start = new HashMap<>();
                cellIndex++;
            }
        }
        if (cellIndex >= cells.size()) {
            return new Page<>(found, null);
        }
        start.put(CELL, n(cellIndex));
        return new Page<>(found, tokens.encode(scope, start));
    }

    @Override
    public List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":from", s(sortKey(from)), ":to", s(sortKey(to))));
        List<String> conditions = new ArrayList<>();
        conditions.add(in("serviceId", "sv", List.copyOf(serviceIds), values));
        conditions.add(in("#status", "st", statuses.stream().map(Enum::name).toList(), values));
        conditions.removeIf(java.util.Objects::isNull);
        String filter = conditions.isEmpty() ? null : String.join(" AND ", conditions);
        List<Report> found = new ArrayList<>();
        YearMonth month = YearMonth.from(to.atZone(ZoneOffset.UTC));
        YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        for (; !month.isBefore(first) && found.size() < max; month = month.minusMonths(1)) {
            values.put(":p", s("REPORTS#MONTH#" + month));
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> after = start;
                QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("GSI4").scanIndexForward(false)
                        .keyConditionExpression("gsi4pk = :p AND gsi1sk BETWEEN :from AND :to").filterExpression(filter)
                        .expressionAttributeValues(values).exclusiveStartKey(after);
                if (filter != null && filter.contains("#status")) {
                    q.expressionAttributeNames(Map.of("#status", "status"));
                }
                QueryResponse page = query(q.build());
                for (Map<String, AttributeValue> i : page.items()) {
                    Report r = report(i);
                    // The sort key is createdAt#id: ":to" itself sorts before "to#id", so the end stays exclusive.
                    if (found.size() < max && r.createdAt().isBefore(to)) {
                        found.add(r);
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && found.size() < max);
        }
        return found;
    }

    /** {@code name IN (:p0, :p1...)}, or null when there is nothing to filter on. */
    private static String in(String name, String prefix, List<String> wanted, Map<String, AttributeValue> values) {
        if (wanted.isEmpty()) {
            return null;
        }
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            values.put(":" + prefix + i, s(wanted.get(i)));
            placeholders.add(":" + prefix + i);
        }
        return name + " IN (" + String.join(", ", placeholders) + ")";
    }

    private Page<Report> page(String index, String attribute, String partition, String scope, int limit, Optional<String> token) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index).limit(limit).scanIndexForward(false)
                .keyConditionExpression(attribute + " = :p").expressionAttributeValues(Map.of(":p", s(partition)));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = query(q.build());
        return new Page<>(page.items().stream().map(DynamoReportRepository::report).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    /** One step of a report's history, as a transaction's item (the closing-loop routes reopen with it). */
    public TransactWriteItem historyItem(String reportId, StatusChange c) {
        Map<String, AttributeValue> item = new HashMap<>(key(reportId,
                String.format("HIST#%015d#%s", c.at().toEpochMilli(), UUID.randomUUID().toString().substring(0, 8))));
        item.put("at", s(c.at().toString()));
        item.put("actorId", s(c.actorId()));
        item.put("actorRole", s(c.actorRole()));
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
                str(i, "description"), i.containsKey("latitude") ? Double.valueOf(i.get("latitude").n()) : null,
                i.containsKey("longitude") ? Double.valueOf(i.get("longitude").n()) : null, str(i, "address"),
                Report.ContactPreference.valueOf(i.get("contactPreference").s()), ReportStatus.valueOf(i.get("status").s()),
                str(i, "duplicateOf"), Long.parseLong(i.get("followers").n()), Instant.parse(i.get("createdAt").s()),
                Instant.parse(i.get("updatedAt").s()), str(i, "mediaUrl"), null);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    /** Fixed-width UTC time, so that the text order of sort keys is the time order. */
    public static String sortKey(Instant at) {
        return SORTABLE.format(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    private static long cell(double degrees) {
        return (long) Math.floor(degrees / CELL_DEGREES);
    }

    private static String cellPartition(long lat, long lon) {
        return "REPORTS#CELL#" + lat + "#" + lon;
    }

    private static String monthPartition(Instant at) {
        return "REPORTS#MONTH#" + YearMonth.from(at.atZone(ZoneOffset.UTC));
    }

    public static String orgPartition(String organisationId, ReportStatus status) {
        return "REPORTS#ORG#" + organisationId + "#" + status;
    }

    private static Map<String, AttributeValue> key(String reportId, String sk) {
        return Map.of("pk", s("REPORT#" + reportId), "sk", s(sk));
    }
}
