package org.territoire.consultations.store;

import static org.territoire.consultations.store.Keys.key;
import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.consultations.consultation.Consultation;
import org.territoire.consultations.proposal.Comment;
import org.territoire.consultations.proposal.Proposal;
import org.territoire.consultations.proposal.ProposalRepository;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.page.Page;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Proposals, supports, comments and flags in the consultations table (see {@link Keys}). */
public final class DynamoProposalRepository implements ProposalRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final PageTokens tokens;

    public DynamoProposalRepository(DynamoDbClient dynamo, String table, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.tokens = tokens;
    }

    @Override
    public boolean submit(Consultation c, Proposal p, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(c.id(), "PROP#" + p.id()));
        item.put("id", s(p.id()));
        item.put("authorId", s(p.authorId()));
        item.put("title", s(p.title()));
        item.put("body", s(p.body()));
        item.put("supports", n(0));
        item.put("comments", n(0));
        item.put("flags", n(0));
        item.put("hidden", AttributeValue.fromBool(false));
        item.put("createdAt", s(p.createdAt().toString()));
        item.put("updatedAt", s(p.updatedAt().toString()));
        // Refused if the author's account was erased meanwhile (their token outlived it): see Erasures.
        return Erasures.transactUnlessErased(dynamo, table, p.authorId(), List.of(Keys.openAt(table, c.id(), now),
                TransactWriteItem.builder().put(x -> x.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build()));
    }

    @Override
    public boolean edit(Consultation c, String proposalId, String authorId, String title, String body, Instant now) {
        return DynamoCalls.transact(dynamo, List.of(Keys.openAt(table, c.id(), now),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(key(c.id(), "PROP#" + proposalId))
                        .updateExpression("SET title = :t, body = :b, updatedAt = :at")
                        .conditionExpression("authorId = :me AND supports = :zero AND #hidden = :no")
                        .expressionAttributeNames(Map.of("#hidden", "hidden"))
                        .expressionAttributeValues(Map.of(":t", s(title), ":b", s(body), ":at", s(now.toString()), ":me", s(authorId),
                                ":zero", n(0), ":no", AttributeValue.fromBool(false)))).build()));
    }

    @Override
    public boolean support(Consultation c, String proposalId, String pseudonym, Instant now) {
        return DynamoCalls.transact(dynamo, supportItems(c, proposalId, pseudonym, now));
    }

    @Override
    public boolean support(Consultation c, String accountId, String proposalId, String pseudonym, Instant now) {
        // Refused if the account was erased meanwhile (its token outlived it): see Erasures.
        return Erasures.transactUnlessErased(dynamo, table, accountId, supportItems(c, proposalId, pseudonym, now));
    }

    private List<TransactWriteItem> supportItems(Consultation c, String proposalId, String pseudonym, Instant now) {
        return List.of(Keys.openAt(table, c.id(), now),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(key(c.id(), "SUPPORT#" + proposalId + "#" + pseudonym))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                count(c.id(), "PROP#" + proposalId, "supports", 1, true));
    }

    @Override
    public boolean unsupport(Consultation c, String proposalId, String pseudonym, Instant now) {
        return DynamoCalls.transact(dynamo, List.of(Keys.openAt(table, c.id(), now),
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(c.id(), "SUPPORT#" + proposalId + "#" + pseudonym))
                        .conditionExpression("attribute_exists(pk)")).build(),
                count(c.id(), "PROP#" + proposalId, "supports", -1, false)));
    }

    @Override
    public boolean comment(Consultation c, Comment k, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(c.id(), commentKey(k.proposalId(), k.id())));
        item.put("id", s(k.id()));
        item.put("proposalId", s(k.proposalId()));
        item.put("authorId", s(k.authorId()));
        item.put("text", s(k.text()));
        item.put("flags", n(0));
        item.put("hidden", AttributeValue.fromBool(false));
        item.put("createdAt", s(k.createdAt().toString()));
        return Erasures.transactUnlessErased(dynamo, table, k.authorId(), List.of(Keys.openAt(table, c.id(), now),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")).build(),
                count(c.id(), "PROP#" + k.proposalId(), "comments", 1, true)));
    }

    @Override
    public boolean flag(String consultationId, String proposalId, String commentId, String pseudonym) {
        Optional<String> target = targetKey(consultationId, proposalId, commentId);
        if (target.isEmpty()) {
            return false;
        }
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table)
                        .item(key(consultationId, "FLAG#" + (commentId == null ? proposalId : commentId) + "#" + pseudonym))
                        .conditionExpression("attribute_not_exists(pk)")).build(),
                count(consultationId, target.get(), "flags", 1, false)));
    }

    @Override
    public boolean hide(String consultationId, String proposalId, String commentId, String reason, String agentId, Instant at) {
        Optional<String> target = targetKey(consultationId, proposalId, commentId);
        return target.isPresent() && DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table)
                .key(key(consultationId, target.get()))
                .updateExpression("SET #hidden = :yes, hiddenReason = :r, hiddenBy = :by, hiddenAt = :at")
                .conditionExpression("attribute_exists(pk)").expressionAttributeNames(Map.of("#hidden", "hidden"))
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":r", s(reason), ":by", s(agentId),
                        ":at", s(at.toString())))));
    }

    @Override
    public boolean answer(String consultationId, String proposalId, Proposal.OfficialAnswer a) {
        Map<String, AttributeValue> answer = Map.of("status", s(a.status().name()), "text", s(a.text()), "at", s(a.at().toString()),
                "by", s(a.by()));
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(key(consultationId, "PROP#" + proposalId))
                .updateExpression("SET answer = :a").conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromM(answer)))));
    }

    @Override
    public Optional<Proposal> find(String consultationId, String proposalId) {
        return DynamoCalls.get(dynamo, table, key(consultationId, "PROP#" + proposalId)).map(i -> proposal(consultationId, i));
    }

    @Override
    public List<Proposal> all(String consultationId) {
        return queryAll(consultationId, "PROP#").stream().map(i -> proposal(consultationId, i)).toList();
    }

    @Override
    public Set<String> supported(String consultationId, String pseudonym, Collection<String> proposalIds) {
        Set<String> supported = new HashSet<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(proposalIds));
        String prefix = "SUPPORT#";
        String suffix = "#" + pseudonym;
        // BatchGetItem takes 100 keys a call; what it leaves unprocessed is asked again.
        // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
        for (int from = 0; from < ids.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + 100)).stream()
                    .map(id -> key(consultationId, prefix + id + suffix)).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true)
                    .projectionExpression("sk").build());
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw StorageException.busy("your supports could not all be read; retry", null);
                }
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response;
                try {
                    response = dynamo.batchGetItem(b -> b.requestItems(request));
                } catch (SdkException e) {
                    throw StorageException.from(e);
                }
                response.responses().getOrDefault(table, List.of()).forEach(i -> {
                    String sk = i.get("sk").s();
                    supported.add(sk.substring(prefix.length(), sk.length() - suffix.length()));
                });
                pending = response.unprocessedKeys();
            }
        }
        return supported;
    }

    @Override
    public Optional<Comment> comment(String consultationId, String proposalId, String commentId) {
        return DynamoCalls.get(dynamo, table, key(consultationId, commentKey(proposalId, commentId))).map(DynamoProposalRepository::comment);
    }

    @Override
    public Page<Comment> comments(String consultationId, String proposalId, int limit, Optional<String> token) {
        String scope = "comments?consultation=" + consultationId + "&proposal=" + proposalId;
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true).limit(limit)
                .keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                .expressionAttributeValues(Map.of(":p", s(Keys.partition(consultationId)), ":s", s("COMMENT#" + proposalId + "#")));
        tokens.decode(scope, token).ifPresent(q::exclusiveStartKey);
        QueryResponse page = DynamoCalls.query(dynamo, q.build());
        return new Page<>(page.items().stream().map(DynamoProposalRepository::comment).toList(), tokens.encode(scope, page.lastEvaluatedKey()));
    }

    /** The sort key of the proposal or comment a flag or a hide targets, if it exists. */
    private Optional<String> targetKey(String consultationId, String proposalId, String commentId) {
        if (commentId == null) {
            return find(consultationId, proposalId).map(p -> "PROP#" + proposalId);
        }
        return comment(consultationId, proposalId, commentId).map(k -> commentKey(proposalId, commentId));
    }

    private List<Map<String, AttributeValue>> queryAll(String consultationId, String prefix) {
        return DynamoCalls.queryAll(dynamo, QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                .expressionAttributeValues(Map.of(":p", s(Keys.partition(consultationId)), ":s", s(prefix))).build());
    }

    /** Adds to a counter of an existing item; {@code visibleOnly} also requires it not hidden. */
    private TransactWriteItem count(String consultationId, String sk, String counter, int by, boolean visibleOnly) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":by", n(by)));
        Map<String, String> names = new HashMap<>(Map.of("#c", counter));
        String condition = "attribute_exists(pk)";
        if (visibleOnly) {
            condition += " AND #hidden = :no";
            names.put("#hidden", "hidden");
            values.put(":no", AttributeValue.fromBool(false));
        }
        String expression = condition;
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(key(consultationId, sk)).updateExpression("ADD #c :by")
                .conditionExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /** Comment ids begin with their time, so a proposal's comments come back oldest first. */
    private static String commentKey(String proposalId, String commentId) {
        return "COMMENT#" + proposalId + "#" + commentId;
    }

    private static Comment comment(Map<String, AttributeValue> i) {
        return new Comment(i.get("id").s(), i.get("proposalId").s(), i.get("authorId").s(), i.get("text").s(),
                Long.parseLong(i.get("flags").n()), i.get("hidden").bool(), str(i, "hiddenReason"), Instant.parse(i.get("createdAt").s()));
    }

    private static Proposal proposal(String consultationId, Map<String, AttributeValue> i) {
        Proposal.OfficialAnswer answer = null;
        if (i.containsKey("answer")) {
            Map<String, AttributeValue> a = i.get("answer").m();
            answer = new Proposal.OfficialAnswer(Proposal.AnswerStatus.valueOf(a.get("status").s()), a.get("text").s(),
                    Instant.parse(a.get("at").s()), a.get("by").s());
        }
        return new Proposal(consultationId, i.get("id").s(), i.get("authorId").s(), i.get("title").s(), i.get("body").s(),
                Long.parseLong(i.get("supports").n()), Long.parseLong(i.get("comments").n()), Long.parseLong(i.get("flags").n()),
                i.get("hidden").bool(), str(i, "hiddenReason"), answer, Instant.parse(i.get("createdAt").s()),
                Instant.parse(i.get("updatedAt").s()));
    }
}
