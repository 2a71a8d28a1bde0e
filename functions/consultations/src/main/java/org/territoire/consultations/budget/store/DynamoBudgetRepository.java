package org.territoire.consultations.budget.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.consultations.budget.Budget;
import org.territoire.consultations.budget.BudgetRepository;
import org.territoire.consultations.budget.Project;
import org.territoire.shared.accounts.Erasures;
import org.territoire.consultations.store.DynamoOpenings;
import org.territoire.consultations.store.ScheduledListing;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Participatory budgets in the consultations table, beside the polls:
 * <pre>
 *   BUDGET#id   META               the budget, its schedule as epoch milliseconds (GSI1: BUDGETS, by creation)
 *   BUDGET#id   PROJECT#pid        a project (as JSON, with a version)
 *   BUDGET#id   BALLOT#pseudonym   a ballot: the draft, what was confirmed and its receipt; under no one's name
 *   BUDGET#id   TALLY#0..7         tally shards: ballots started, confirmed, and v_pid votes per project
 *   BUDGET#id   VOTE-OPENING       the vote's opening, in the openings' index (GSI2) until a sweep announces it, then
 *                                  announcedAt (see DynamoOpenings); written with every change of the vote's window
 *   BUDGET#id   DRAFTER#accountId  "started, not confirmed yet": for the reminder before the close; deleted at the first
 *                                  confirmation and at erasure; remindedAt once reminded (never what was chosen)
 * </pre>
 * A ballot's shard is given by its pseudonym, so 300 residents confirming at once write 8
 * items, not one: a project everybody selects is no hot key. Every write that counts carries
 * the phase check on META in the same transaction (the window, as stored, decides; not the
 * request's clock alone).
 */
public final class DynamoBudgetRepository implements BudgetRepository {
    static final int SHARDS = 8;
    private static final String META = "META";
    private static final String DRAFTER = "DRAFTER#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoBudgetRepository(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    static Map<String, AttributeValue> key(String budgetId, String sk) {
        return Map.of("pk", s("BUDGET#" + budgetId), "sk", s(sk));
    }

    @Override
    public void create(Budget budget) {
        if (!DynamoCalls.putNew(dynamo, table, item(budget))) {
            throw DomainError.conflict("this budget id is already taken; send the request again");
        }
    }

    @Override
    public Optional<Budget> find(String id) {
        return DynamoCalls.get(dynamo, table, key(id, META)).map(i -> read(i.get("data").s(), Budget.class));
    }

    @Override
    public boolean replace(Budget next, Budget current) {
        TransactWriteItem budget = TransactWriteItem.builder().put(p -> p.tableName(table).item(item(next))
                .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(current.version())))).build();
        Budget.Schedule s = next.schedule();
        boolean opens = next.scheduled() && (!current.scheduled() || !s.voteOpensAt().equals(current.schedule().voteOpensAt()));
        boolean closes = next.scheduled() && !s.voteClosesAt().equals(current.schedule().voteClosesAt());
        if (opens) {
            return DynamoCalls.transact(dynamo, List.of(budget,
                    DynamoOpenings.voteOpening(table, next.id(), next.district(), s.voteOpensAt(), s.voteClosesAt())));
        }
        if (closes) {
            return DynamoCalls.transact(dynamo, List.of(budget, DynamoOpenings.voteClosing(table, next.id(), s.voteClosesAt())));
        }
        // Nothing about the vote's window changed (results, follow-up, other phases): the marker is not touched.
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item(next))
                .conditionExpression("version = :v").expressionAttributeValues(Map.of(":v", n(current.version())))));
    }

    @Override
    public boolean publishResults(String id, Instant now) {
        Budget b = find(id).orElse(null);
        if (b == null) {
            return false;
        }
        Budget published = new Budget(b.id(), b.title(), b.description(), b.district(), b.amount(), b.rule(), b.schedule(), b.allowChange(),
                b.scheduled(), now, b.followUpAt(), b.createdAt(), b.createdBy(), b.version() + 1);
        Map<String, AttributeValue> item = item(published);
        // The condition is on what is stored, so a concurrent reschedule or publication is never overwritten.
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item)
                .conditionExpression("version = :v AND scheduled = :yes AND voteClosesAtMs <= :now AND attribute_not_exists(resultsPublishedAtMs)")
                .expressionAttributeValues(Map.of(":v", n(b.version()), ":yes", AttributeValue.fromBool(true), ":now", n(now.toEpochMilli())))));
    }

    @Override
    public Page<Budget> list(boolean withDrafts, int limit, Optional<String> token) {
        return ScheduledListing.page(dynamo, table, tokens, "BUDGETS", withDrafts, limit, token)
                .map(i -> read(i.get("data").s(), Budget.class));
    }

    @Override
    public boolean addProject(Project project, String accountId, Instant now) {
        List<TransactWriteItem> items = List.of(phase(project.budgetId(), "proposalsOpenAtMs", "reviewOpensAtMs", now),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item(project)).conditionExpression("attribute_not_exists(pk)")).build());
        return Erasures.transactUnlessErased(dynamo, table, accountId, items);
    }

    @Override
    public List<Project> projects(String budgetId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                        .expressionAttributeValues(Map.of(":p", s("BUDGET#" + budgetId), ":s", s("PROJECT#"))).build())
                .stream().map(i -> read(i.get("data").s(), Project.class)).toList();
    }

    @Override
    public Optional<Project> project(String budgetId, String projectId) {
        return DynamoCalls.get(dynamo, table, key(budgetId, "PROJECT#" + projectId)).map(i -> read(i.get("data").s(), Project.class));
    }

    @Override
    public boolean review(Project next, long expectedVersion, Instant now) {
        return DynamoCalls.transact(dynamo, List.of(phase(next.budgetId(), "reviewOpensAtMs", "voteOpensAtMs", now), replaceProject(next, expectedVersion)));
    }

    @Override
    public boolean followUp(Project next, long expectedVersion) {
        TransactWriteItem published = TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(next.budgetId(), META))
                .conditionExpression("attribute_exists(resultsPublishedAtMs)")).build();
        return DynamoCalls.transact(dynamo, List.of(published, replaceProject(next, expectedVersion)));
    }

    private TransactWriteItem replaceProject(Project next, long expectedVersion) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item(next)).conditionExpression("version = :v")
                .expressionAttributeValues(Map.of(":v", n(expectedVersion)))).build();
    }

    @Override
    public boolean saveDraft(Budget budget, String accountId, String pseudonym, Optional<StoredBallot> before, List<String> draft, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(vote(budget.id(), now));
        Map<String, AttributeValue> key = key(budget.id(), "BALLOT#" + pseudonym);
        if (before.isEmpty()) {
            Map<String, AttributeValue> ballot = new HashMap<>(key);
            ballot.put("draft", s(Json.write(draft)));
            ballot.put("savedAt", s(now.toString()));
            ballot.put("version", n(0));
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(ballot).conditionExpression("attribute_not_exists(pk)")).build());
            items.add(tally(budget.id(), pseudonym, Map.of("started", 1L)));
            Map<String, AttributeValue> marker = new HashMap<>(key(budget.id(), DRAFTER + accountId));
            marker.put("accountId", s(accountId));
            marker.put("startedAt", s(now.toString()));
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(marker)).build());
        } else {
            items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key)
                    .updateExpression("SET draft = :d, savedAt = :at, version = version + :one").conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":d", s(Json.write(draft)), ":at", s(now.toString()), ":one", n(1),
                            ":v", n(before.get().version())))).build());
        }
        return Erasures.transactUnlessErased(dynamo, table, accountId, items);
    }

    @Override
    public boolean confirm(Budget budget, String accountId, String pseudonym, StoredBallot before, String receipt, Instant now) {
        Map<String, Long> delta = new HashMap<>();
        if (before.confirmed() == null) {
            delta.put("confirmed", 1L);
        } else {
            before.confirmed().forEach(p -> delta.merge("v_" + p, -1L, Long::sum));
        }
        before.draft().forEach(p -> delta.merge("v_" + p, 1L, Long::sum));
        delta.values().removeIf(v -> v == 0);
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(vote(budget.id(), now));
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(budget.id(), "BALLOT#" + pseudonym))
                .updateExpression("SET confirmed = :c, receipt = :r, confirmedAt = :at, version = version + :one")
                .conditionExpression("version = :v AND draft = :c")
                .expressionAttributeValues(Map.of(":c", s(Json.write(before.draft())), ":r", s(receipt), ":at", s(now.toString()),
                        ":one", n(1), ":v", n(before.version())))).build());
        if (!delta.isEmpty()) {
            items.add(tally(budget.id(), pseudonym, delta));
        }
        if (before.confirmed() == null) {
            // Confirmed: nothing left to remind of.
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(budget.id(), DRAFTER + accountId))).build());
        }
        return Erasures.transactUnlessErased(dynamo, table, accountId, items);
    }

    @Override
    public Optional<StoredBallot> ballot(String budgetId, String pseudonym) {
        return DynamoCalls.get(dynamo, table, key(budgetId, "BALLOT#" + pseudonym)).map(i -> new StoredBallot(ids(i.get("draft").s()),
                i.containsKey("confirmed") ? ids(i.get("confirmed").s()) : null, i.containsKey("receipt") ? i.get("receipt").s() : null,
                Instant.parse(i.get("savedAt").s()), i.containsKey("confirmedAt") ? Instant.parse(i.get("confirmedAt").s()) : null,
                Long.parseLong(i.get("version").n())));
    }

    @Override
    public Tallies tallies(String budgetId) {
        long started = 0;
        long confirmed = 0;
        Map<String, Long> votes = new HashMap<>();
        for (Map<String, AttributeValue> shard : DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":p", s("BUDGET#" + budgetId), ":t", s("TALLY#"))).build())) {
            for (Map.Entry<String, AttributeValue> e : shard.entrySet()) {
                switch (e.getKey()) {
                    case "started" -> started += Long.parseLong(e.getValue().n());
                    case "confirmed" -> confirmed += Long.parseLong(e.getValue().n());
                    default -> {
                        if (e.getKey().startsWith("v_")) {
                            votes.merge(e.getKey().substring(2), Long.parseLong(e.getValue().n()), Long::sum);
                        }
                    }
                }
            }
        }
        return new Tallies(started, confirmed, votes);
    }

    @Override
    public List<Budget> votesClosingBetween(Instant from, Instant until) {
        // The budgets' own index (a few hundred items at most), not a scan of the table.
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).indexName("GSI1").keyConditionExpression("gsi1pk = :p")
                        .filterExpression("scheduled = :yes AND voteClosesAtMs > :from AND voteClosesAtMs <= :until")
                        .expressionAttributeValues(Map.of(":p", s("BUDGETS"), ":yes", AttributeValue.fromBool(true),
                                ":from", n(from.toEpochMilli()), ":until", n(until.toEpochMilli()))).build())
                .stream().map(i -> read(i.get("data").s(), Budget.class)).toList();
    }

    @Override
    public List<String> unremindedDrafters(String budgetId) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :p AND begins_with(sk, :d)").filterExpression("attribute_not_exists(remindedAt)")
                        .expressionAttributeValues(Map.of(":p", s("BUDGET#" + budgetId), ":d", s(DRAFTER))).build())
                .stream().map(i -> i.get("accountId").s()).toList();
    }

    @Override
    public boolean markReminded(String budgetId, String accountId, Instant now) {
        // Two sweeps at once: only one of them finds it not yet reminded. A marker deleted meanwhile (confirmed, erased) is not recreated.
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(budgetId, DRAFTER + accountId))
                .updateExpression("SET remindedAt = :at").conditionExpression("attribute_exists(pk) AND attribute_not_exists(remindedAt)")
                .expressionAttributeValues(Map.of(":at", s(now.toString())))));
    }

    /** The vote is open at {@code now}, as the stored schedule says. */
    private TransactWriteItem vote(String budgetId, Instant now) {
        return phase(budgetId, "voteOpensAtMs", "voteClosesAtMs", now);
    }

    private TransactWriteItem phase(String budgetId, String from, String until, Instant now) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(budgetId, META))
                .conditionExpression("scheduled = :yes AND #from <= :now AND #until > :now")
                .expressionAttributeNames(Map.of("#from", from, "#until", until))
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":now", n(now.toEpochMilli())))).build();
    }

    /** Adds the deltas to the ballot's tally shard ({@code v_pid} per project, {@code started}, {@code confirmed}). */
    private TransactWriteItem tally(String budgetId, String pseudonym, Map<String, Long> delta) {
        int shard = Integer.parseInt(pseudonym.substring(0, 2), 16) % SHARDS;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD ");
        int i = 0;
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            names.put("#c" + i, e.getKey());
            values.put(":c" + i, n(e.getValue()));
            add.append(i == 0 ? "" : ", ").append("#c").append(i).append(" :c").append(i);
            i++;
        }
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(budgetId, "TALLY#" + shard))
                .updateExpression(add.toString()).expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    private static Map<String, AttributeValue> item(Budget b) {
        Map<String, AttributeValue> item = new HashMap<>(key(b.id(), META));
        item.put("data", s(Json.write(b)));
        item.put("scheduled", AttributeValue.fromBool(b.scheduled()));
        item.put("proposalsOpenAtMs", n(b.schedule().proposalsOpenAt().toEpochMilli()));
        item.put("reviewOpensAtMs", n(b.schedule().reviewOpensAt().toEpochMilli()));
        item.put("voteOpensAtMs", n(b.schedule().voteOpensAt().toEpochMilli()));
        item.put("voteClosesAtMs", n(b.schedule().voteClosesAt().toEpochMilli()));
        if (b.resultsPublishedAt() != null) {
            item.put("resultsPublishedAtMs", n(b.resultsPublishedAt().toEpochMilli()));
        }
        item.put("version", n(b.version()));
        item.put("gsi1pk", s("BUDGETS"));
        item.put("gsi1sk", s(b.createdAt().toEpochMilli() + "#" + b.id()));
        return item;
    }

    private static Map<String, AttributeValue> item(Project p) {
        Map<String, AttributeValue> item = new HashMap<>(key(p.budgetId(), "PROJECT#" + p.id()));
        item.put("data", s(Json.write(p)));
        item.put("version", n(p.version()));
        return item;
    }

    private static List<String> ids(String json) {
        return List.of(read(json, String[].class));
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored budget item is not readable as " + type.getSimpleName(), e);
        }
    }

}
