package org.territoire.consultations.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.territoire.consultations.consultation.Openings;
import org.territoire.shared.json.Json;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The openings' sparse index, GSI2 of the consultations table: a scheduled consultation's
 * {@code META} item carries {@code gsi2pk = OPENINGS#UNANNOUNCED} and {@code gsi2sk = <opensAt
 * ms, 15 digits>#id} from its scheduling (written with the item, see
 * {@link DynamoConsultationRepository}); a sweep's claim moves it to {@code OPENINGS#ANNOUNCING}
 * under the claim's time, the announcement removes both attributes. Only unannounced and
 * half-announced consultations are in the index, so a sweep reads what is due with one Query,
 * never a Scan. A participatory budget's vote is in the same index, but on a marker item of its
 * own, {@code BUDGET#id / VOTE-OPENING} ({@code gsi2sk = <voteOpensAt ms>#BUDGET#id}), written
 * in the same transaction as each change of the vote's opening (budgets are rewritten whole after
 * the vote opens, which would put an announced budget back in the index). GSI reads are
 * eventually consistent: every write is conditioned on the entry as read, so two sweeps that read the same entry claim it once.
 */
public final class DynamoOpenings implements Openings {
    static final String INDEX = "GSI2";
    static final String UNANNOUNCED = "OPENINGS#UNANNOUNCED";
    static final String ANNOUNCING = "OPENINGS#ANNOUNCING";
    static final String BUDGET = "BUDGET#";
    /** A budget's vote-opening marker, in the budget's partition. */
    static final String VOTE_OPENING = "VOTE-OPENING";
    /** Written once the backfill of what was scheduled before the index is done. */
    static final Map<String, AttributeValue> BACKFILL = Map.of("pk", s("MIGRATION"), "sk", s("OPENINGS-BACKFILL"));

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoOpenings(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The index's sort key: the instant first (fixed width, so text order is time order), the id to make it unique. */
    static String sortKey(Instant at, String consultationId) {
        return String.format("%015d#%s", at.toEpochMilli(), consultationId);
    }

    @Override
    public List<Opening> unannouncedOpenedBy(Instant now, int limit) {
        return due(UNANNOUNCED, now, limit);
    }

    @Override
    public List<Opening> announcingSince(Instant before, int limit) {
        return due(ANNOUNCING, before, limit);
    }

    private List<Opening> due(String state, Instant until, int limit) {
        // "~" sorts after "#" and every id character: every entry of that millisecond is included.
        return DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).indexName(INDEX).limit(limit)
                        .keyConditionExpression("gsi2pk = :p AND gsi2sk <= :until")
                        .expressionAttributeValues(Map.of(":p", s(state), ":until", s(String.format("%015d~", until.toEpochMilli()))))
                        .build())
                .items().stream().map(i -> opening(i, state.equals(ANNOUNCING))).toList();
    }

    @Override
    public boolean claim(Opening o, Instant now) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(o))
                .updateExpression("SET gsi2pk = :announcing, gsi2sk = :claim")
                // The close read too: a vote closed early (or a consultation's dates edited) after the index was read is not
                // claimed with the old close, and so never announced as open once it has closed.
                .conditionExpression("gsi2pk = :state AND gsi2sk = :read AND closesAtMs = :close")
                .expressionAttributeValues(Map.of(":announcing", s(ANNOUNCING), ":claim", s(sortKey(now, indexId(o))),
                        ":state", s(o.claimed() ? ANNOUNCING : UNANNOUNCED), ":read", s(sortKey(o.at(), indexId(o))),
                        ":close", AttributeValue.fromN(Long.toString(o.closesAt().toEpochMilli()))))));
    }

    @Override
    public boolean announced(Opening o, Instant claimedAt) {
        // A budget's marker stays, out of the index, with announcedAt: the budget's next writes of its vote are conditioned on it.
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(o))
                .updateExpression("SET announcedAt = :at REMOVE gsi2pk, gsi2sk")
                .conditionExpression("gsi2pk = :announcing AND gsi2sk = :claim")
                .expressionAttributeValues(Map.of(":at", s(claimedAt.toString()), ":announcing", s(ANNOUNCING),
                        ":claim", s(sortKey(claimedAt, indexId(o)))))));
    }

    /**
     * The vote-opening marker of a budget whose vote now opens at {@code opensAt} (it is scheduled, or its vote was opened
     * early), to write in the same transaction as the budget: into the index as unannounced. Conditioned on the marker not
     * announced nor being announced, so no rewrite of the budget can put an announced vote back (a sweep that claimed it
     * between the budget's read and this write makes the agent's request a conflict).
     */
    public static TransactWriteItem voteOpening(String table, String budgetId, String district, Instant opensAt, Instant closesAt) {
        Map<String, AttributeValue> item = new HashMap<>(budgetKey(budgetId));
        item.put("id", s(budgetId));
        item.put("districts", AttributeValue.fromL(district == null ? List.of() : List.of(s(district))));
        item.put("closesAtMs", n(closesAt.toEpochMilli()));
        item.put("gsi2pk", s(UNANNOUNCED));
        item.put("gsi2sk", s(sortKey(opensAt, BUDGET + budgetId)));
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(announcedAt) AND (attribute_not_exists(gsi2pk) OR gsi2pk = :unannounced)")
                .expressionAttributeValues(Map.of(":unannounced", s(UNANNOUNCED)))).build();
    }

    /**
     * The vote's close moved (an agent closed it early), to write with the budget: the marker's close follows, so a sweep
     * that has not announced the vote yet takes it out unannounced. An announced marker keeps its place out of the index.
     */
    public static TransactWriteItem voteClosing(String table, String budgetId, Instant closesAt) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(budgetKey(budgetId))
                .updateExpression("SET closesAtMs = :c").expressionAttributeValues(Map.of(":c", n(closesAt.toEpochMilli())))).build();
    }

    @Override
    public int backfillOnce(Instant now) {
        if (DynamoCalls.get(dynamo, table, BACKFILL).isPresent()) {
            return 0;
        }
        // Both kinds are found on GSI1, their listing index (hundreds of items at most): a Query each, never a Scan.
        int added = 0;
        for (Map<String, AttributeValue> i : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI1")
                .keyConditionExpression("gsi1pk = :p")
                .filterExpression("scheduled = :yes AND closesAtMs > :now"
                        + " AND attribute_not_exists(gsi2pk) AND attribute_not_exists(announcedAt)")
                .expressionAttributeValues(Map.of(":p", s("CONSULTATIONS"), ":yes", AttributeValue.fromBool(true),
                        ":now", n(now.toEpochMilli())))
                .build())) {
            String id = i.get("id").s();
            Instant opensAt = Instant.ofEpochMilli(Long.parseLong(i.get("opensAtMs").n()));
            // Conditioned on what the query read and what makes it unindexed: an agent's edit meanwhile (unscheduled, dates
            // moved) or a sweep (indexed, announced) wins, and the backfill adds nothing.
            if (DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Keys.key(id, Keys.META))
                    .updateExpression("SET gsi2pk = :u, gsi2sk = :sk")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(gsi2pk) AND attribute_not_exists(announcedAt)"
                            + " AND scheduled = :yes AND opensAtMs = :opens AND closesAtMs > :now")
                    .expressionAttributeValues(Map.of(":u", s(UNANNOUNCED), ":sk", s(sortKey(opensAt, id)), ":yes", AttributeValue.fromBool(true),
                            ":opens", i.get("opensAtMs"), ":now", n(now.toEpochMilli())))))) {
                added++;
            }
        }
        for (Map<String, AttributeValue> i : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI1")
                .keyConditionExpression("gsi1pk = :p").filterExpression("scheduled = :yes AND voteClosesAtMs > :now")
                .expressionAttributeValues(Map.of(":p", s("BUDGETS"), ":yes", AttributeValue.fromBool(true), ":now", n(now.toEpochMilli())))
                .build())) {
            String id = i.get("pk").s().substring(BUDGET.length());
            String district = Json.tree(i.get("data").s()).path("district").textValue();
            Instant opensAt = Instant.ofEpochMilli(Long.parseLong(i.get("voteOpensAtMs").n()));
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":id", s(id));
            values.put(":d", AttributeValue.fromL(district == null ? List.of() : List.of(s(district))));
            values.put(":c", i.get("voteClosesAtMs"));
            values.put(":u", s(UNANNOUNCED));
            values.put(":sk", s(sortKey(opensAt, BUDGET + id)));
            // A budget scheduled by this version has its marker (in the index or announced): left as it is.
            if (DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(budgetKey(id))
                    .updateExpression("SET id = :id, districts = :d, closesAtMs = :c, gsi2pk = :u, gsi2sk = :sk")
                    .conditionExpression("attribute_not_exists(pk)").expressionAttributeValues(values)))) {
                added++;
            }
        }
        Map<String, AttributeValue> done = new HashMap<>(BACKFILL);
        done.put("doneAt", s(now.toString()));
        done.put("added", n(added));
        dynamo.putItem(p -> p.tableName(table).item(done));
        return added;
    }

    private static Map<String, AttributeValue> key(Opening o) {
        return o.subject() == Subject.BUDGET_VOTE ? budgetKey(o.id()) : Keys.key(o.id(), Keys.META);
    }

    private static Map<String, AttributeValue> budgetKey(String budgetId) {
        return Map.of("pk", s(BUDGET + budgetId), "sk", s(VOTE_OPENING));
    }

    /** What follows the instant in the sort key: the consultation's id, or {@code BUDGET#} and the budget's. */
    private static String indexId(Opening o) {
        return o.subject() == Subject.BUDGET_VOTE ? BUDGET + o.id() : o.id();
    }

    private static Opening opening(Map<String, AttributeValue> i, boolean claimed) {
        String sk = i.get("gsi2sk").s();
        // The table's keys are in every index: the partition says what opens.
        Subject subject = i.get("pk").s().startsWith(BUDGET) ? Subject.BUDGET_VOTE : Subject.CONSULTATION;
        return new Opening(subject, i.get("id").s(), i.get("districts").l().stream().map(AttributeValue::s).toList(),
                Instant.ofEpochMilli(Long.parseLong(i.get("closesAtMs").n())),
                Instant.ofEpochMilli(Long.parseLong(sk.substring(0, sk.indexOf('#')))), claimed);
    }
}
