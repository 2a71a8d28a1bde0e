package org.territoire.consultations.store;

import static org.territoire.consultations.store.Keys.META;
import static org.territoire.consultations.store.Keys.key;
import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.consultations.consultation.Ballot;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.consultation.ConsultationRepository;
import org.territoire.consultations.consultation.Kind;
import org.territoire.consultations.consultation.Question;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Consultations and participations in the consultations table (see {@link Keys}). Tallies are
 * spread over {@value #SHARDS} items, a participant's shard given by their pseudonym, so that
 * hundreds of simultaneous participations do not all write one item; results sum the shards.
 */
public final class DynamoConsultationRepository implements ConsultationRepository {
    static final int SHARDS = 8;
    private static final TypeReference<List<Question>> QUESTIONS = new TypeReference<>() {
    };

    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoConsultationRepository(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public void create(Consultation c) {
        if (!DynamoCalls.putNew(dynamo, table, item(c))) {
            // A fresh random id already stored: the one answer the project gives an id collision.
            throw DomainError.conflict("this consultation id is already taken; send the request again");
        }
    }

    @Override
    public Optional<Consultation> find(String id) {
        return DynamoCalls.get(dynamo, table, key(id, META)).map(DynamoConsultationRepository::consultation);
    }

    @Override
    public boolean replaceBeforeOpening(Consultation next, long expectedVersion, Instant now) {
        return DynamoCalls.conditionally(() -> dynamo.putItem(p -> p.tableName(table).item(item(next))
                .conditionExpression("version = :v AND (scheduled = :no OR opensAtMs > :now)")
                .expressionAttributeValues(Map.of(":v", n(expectedVersion), ":no", AttributeValue.fromBool(false),
                        ":now", n(now.toEpochMilli())))));
    }

    @Override
    public boolean publishResults(String id, Instant now) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(id, META))
                .updateExpression("SET resultsPublishedAt = :at, version = version + :one")
                .conditionExpression("scheduled = :yes AND closesAtMs <= :now AND attribute_not_exists(resultsPublishedAt)")
                .expressionAttributeValues(Map.of(":at", s(now.toString()), ":one", n(1), ":yes", AttributeValue.fromBool(true),
                        ":now", n(now.toEpochMilli())))));
    }

    @Override
    public Page<Consultation> list(boolean withDrafts, int limit, Optional<String> token) {
        return ScheduledListing.page(dynamo, table, tokens, "CONSULTATIONS", withDrafts, limit, token)
                .map(DynamoConsultationRepository::consultation);
    }

    @Override
    public boolean participate(Consultation c, String pseudonym, Ballot ballot, boolean keepAnswers, Instant now) {
        return participate(c, null, pseudonym, ballot, keepAnswers, now);
    }

    @Override
    public boolean participate(Consultation c, String accountId, String pseudonym, Ballot ballot, boolean keepAnswers, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        if (accountId != null) {
            // First, so that its failure is told apart: the account was erased meanwhile (see Erasures).
            items.add(org.territoire.shared.accounts.Erasures.notErased(table, accountId));
        }
        items.add(Keys.openAt(table, c.id(), now));
        List<String> textIds = new ArrayList<>();
        ballot.texts().forEach((question, text) -> {
            String sk = "TEXT#" + question + "#" + UUID.randomUUID();
            textIds.add(sk);
            items.add(put(textItem(c.id(), sk, question, text)));
        });
        Map<String, AttributeValue> part = new HashMap<>(key(c.id(), "PART#" + pseudonym));
        part.put("at", s(now.toString()));
        part.put("version", n(0));
        if (keepAnswers) {
            part.put("answers", s(Json.write(ballot.answers())));
            part.put("counters", AttributeValue.fromSs(List.copyOf(ballot.counters())));
            if (!textIds.isEmpty()) {
                part.put("textIds", AttributeValue.fromSs(textIds));
            }
        }
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(part).conditionExpression("attribute_not_exists(pk)")).build());
        Map<String, Long> delta = new HashMap<>();
        ballot.counters().forEach(counter -> delta.put(counter, 1L));
        items.add(tally(c.id(), pseudonym, delta, 1));
        List<Integer> failed = DynamoCalls.failedConditions(dynamo, items);
        if (accountId != null && failed.contains(0)) {
            throw org.territoire.shared.error.DomainError.forbidden("this account was deleted");
        }
        return failed.isEmpty();
    }

    @Override
    public boolean changeParticipation(Consultation c, String pseudonym, Participation before, Ballot after, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(Keys.openAt(table, c.id(), now));
        before.textIds().forEach(sk -> items.add(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(c.id(), sk))).build()));
        List<String> textIds = new ArrayList<>();
        after.texts().forEach((question, text) -> {
            String sk = "TEXT#" + question + "#" + UUID.randomUUID();
            textIds.add(sk);
            items.add(put(textItem(c.id(), sk, question, text)));
        });
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":answers", s(Json.write(after.answers())),
                ":counters", AttributeValue.fromSs(List.copyOf(after.counters())), ":v", n(before.version()), ":one", n(1),
                ":at", s(now.toString())));
        String update = "SET answers = :answers, counters = :counters, version = version + :one, changedAt = :at";
        if (textIds.isEmpty()) {
            update += " REMOVE textIds";
        } else {
            update = update.replace("changedAt = :at", "changedAt = :at, textIds = :texts");
            values.put(":texts", AttributeValue.fromSs(textIds));
        }
        String expression = update;
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table).key(key(c.id(), "PART#" + pseudonym))
                .updateExpression(expression).conditionExpression("version = :v").expressionAttributeValues(values)).build());
        items.add(tally(c.id(), pseudonym, Ballot.delta(before.counters(), after.counters()), 0));
        return DynamoCalls.transact(dynamo, items);
    }

    @Override
    public Optional<Participation> participation(String consultationId, String pseudonym) {
        return DynamoCalls.get(dynamo, table, key(consultationId, "PART#" + pseudonym)).map(item -> {
            Ballot ballot = item.containsKey("answers") ? new Ballot(readAnswers(item.get("answers").s())) : null;
            Set<String> counters = item.containsKey("counters") ? new LinkedHashSet<>(item.get("counters").ss()) : Set.of();
            List<String> texts = item.containsKey("textIds") ? item.get("textIds").ss() : List.of();
            return new Participation(Instant.parse(item.get("at").s()), ballot, counters, texts, Long.parseLong(item.get("version").n()));
        });
    }

    @Override
    public Tallies tallies(String consultationId) {
        Map<String, Long> counters = new HashMap<>();
        long participants = 0;
        for (Map<String, AttributeValue> shard : DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":p", s(Keys.partition(consultationId)), ":t", s("TALLY#"))).build()).items()) {
            for (Map.Entry<String, AttributeValue> e : shard.entrySet()) {
                if (e.getKey().equals("participants")) {
                    participants += Long.parseLong(e.getValue().n());
                } else if (e.getKey().startsWith("n_")) {
                    counters.merge(e.getKey().substring(2), Long.parseLong(e.getValue().n()), Long::sum);
                }
            }
        }
        return new Tallies(participants, counters);
    }

    @Override
    public List<String> texts(String consultationId, String questionId, int max) {
        List<String> texts = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> after = start;
            QueryResponse page = DynamoCalls.query(dynamo, QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :p AND begins_with(sk, :t)").exclusiveStartKey(after)
                    .expressionAttributeValues(Map.of(":p", s(Keys.partition(consultationId)), ":t", s("TEXT#" + questionId + "#"))).build());
            page.items().forEach(i -> texts.add(i.get("text").s()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && texts.size() < max);
        return texts.size() > max ? texts.subList(0, max) : texts;
    }

    /** Adds the deltas and {@code participants} to the participant's tally shard. */
    private TransactWriteItem tally(String consultationId, String pseudonym, Map<String, Long> delta, long participants) {
        int shard = Integer.parseInt(pseudonym.substring(0, 2), 16) % SHARDS;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", n(participants)));
        StringBuilder add = new StringBuilder("ADD participants :p");
        int i = 0;
        for (Map.Entry<String, Long> e : delta.entrySet()) {
            names.put("#c" + i, "n_" + e.getKey());
            values.put(":c" + i, n(e.getValue()));
            add.append(", #c").append(i).append(" :c").append(i);
            i++;
        }
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(consultationId, "TALLY#" + shard))
                .updateExpression(add.toString()).expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values)).build();
    }

    private Map<String, AttributeValue> textItem(String consultationId, String sk, String question, String text) {
        Map<String, AttributeValue> item = new HashMap<>(key(consultationId, sk));
        item.put("questionId", s(question));
        item.put("text", s(text));
        return item;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build();
    }

    private static Map<String, AttributeValue> item(Consultation c) {
        Map<String, AttributeValue> item = new HashMap<>(key(c.id(), META));
        item.put("id", s(c.id()));
        item.put("title", s(c.title()));
        item.put("description", s(c.description()));
        item.put("kind", s(c.kind().name()));
        item.put("districts", AttributeValue.fromL(c.districts().stream().map(d -> s(d)).toList()));
        item.put("opensAt", s(c.opensAt().toString()));
        item.put("closesAt", s(c.closesAt().toString()));
        item.put("opensAtMs", n(c.opensAt().toEpochMilli()));
        item.put("closesAtMs", n(c.closesAt().toEpochMilli()));
        item.put("scheduled", AttributeValue.fromBool(c.scheduled()));
        item.put("liveResults", AttributeValue.fromBool(c.liveResults()));
        item.put("allowChange", AttributeValue.fromBool(c.allowChange()));
        if (c.supportThreshold() != null) {
            item.put("supportThreshold", n(c.supportThreshold()));
        }
        if (c.serviceId() != null) {
            item.put("serviceId", s(c.serviceId()));
        }
        item.put("questions", s(Json.write(c.questions())));
        item.put("createdAt", s(c.createdAt().toString()));
        item.put("createdBy", s(c.createdBy()));
        item.put("version", n(c.version()));
        item.put("gsi1pk", s("CONSULTATIONS"));
        item.put("gsi1sk", s(c.createdAt().toEpochMilli() + "#" + c.id()));
        if (c.scheduled()) {
            // Into the openings' sparse index until a sweep announces it (written only before it opens: see replaceBeforeOpening).
            item.put("gsi2pk", s(DynamoOpenings.UNANNOUNCED));
            item.put("gsi2sk", s(DynamoOpenings.sortKey(c.opensAt(), c.id())));
        }
        return item;
    }

    private static Consultation consultation(Map<String, AttributeValue> i) {
        try {
            return new Consultation(i.get("id").s(), i.get("title").s(), i.get("description").s(), Kind.valueOf(i.get("kind").s()),
                    i.get("districts").l().stream().map(AttributeValue::s).toList(), Instant.parse(i.get("opensAt").s()),
                    Instant.parse(i.get("closesAt").s()), i.get("scheduled").bool(),
                    i.containsKey("resultsPublishedAt") ? Instant.parse(i.get("resultsPublishedAt").s()) : null,
                    i.get("liveResults").bool(), i.get("allowChange").bool(),
                    i.containsKey("supportThreshold") ? Integer.valueOf(i.get("supportThreshold").n()) : null, str(i, "serviceId"),
                    Json.MAPPER.readValue(i.get("questions").s(), QUESTIONS), Instant.parse(i.get("createdAt").s()),
                    i.get("createdBy").s(), Long.parseLong(i.get("version").n()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored questions of " + i.get("id").s() + " are not readable", e);
        }
    }

    private static List<Ballot.Answer> readAnswers(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<Ballot.Answer>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored answers are not readable", e);
        }
    }
}
