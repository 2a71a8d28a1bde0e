package org.territoire.consultations.store;

import static org.territoire.shared.ddb.Attributes.s;
import static org.territoire.shared.ddb.Attributes.str;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.territoire.consultations.consultation.ConsultationService;
import org.territoire.shared.accounts.Erasures;
import org.territoire.shared.accounts.PersonalData;
import org.territoire.shared.ddb.DynamoCalls;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * What the consultations capability holds about a person, and its erasure at the account's
 * deletion. A participation, a support, a flag and a budget ballot are stored under the person's pseudonym in
 * the consultation ({@link ConsultationService#pseudonym}, a hash anyone who knows the account
 * and the consultation can recompute): each moves, in one transaction (delete under the
 * pseudonym, put under a random 256-bit one), so it stays counted (tallies, support and flag
 * counts do not move) and keeps its answers, but nothing links it to anyone any more; the
 * person can no longer change it. Proposals and comments keep their public text under
 * {@value Erasures#FORMER_RESIDENT}; moderation by the person (hiddenBy) names
 * {@value Erasures#FORMER_RESIDENT}; the replay records of their requests are deleted. The
 * tombstone, written first, refuses a participation or support still being made with the
 * person's token. Pseudonyms are per consultation, so the erasure reads the whole table once.
 */
public final class DynamoConsultationsPersonalData implements PersonalData {
    private static final String FORMER = Erasures.FORMER_RESIDENT;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConsultationsPersonalData(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public String capability() {
        return "consultations";
    }

    private enum Kind { PARTICIPATION, SUPPORT, FLAG, PROPOSAL, COMMENT, MODERATION, REPLAY, BALLOT, BUDGET_PROJECT, BUDGET_DRAFTER }

    private record Held(Kind kind, Map<String, AttributeValue> item) {
    }

    /** Every item naming the account, or its pseudonym in the item's consultation. */
    private List<Held> items(String accountId) {
        List<Held> held = new ArrayList<>();
        Map<String, String> pseudonyms = new HashMap<>();
        Erasures.scan(dynamo, table, null, null, null, page -> {
            for (Map<String, AttributeValue> i : page) {
                String pk = i.get("pk").s();
                String sk = i.get("sk").s();
                if (Erasures.replayRecord(i)) {
                    if (i.containsKey("responseBody") && i.get("responseBody").s().contains(accountId)) {
                        held.add(new Held(Kind.REPLAY, i));
                    }
                    continue;
                }
                if (pk.startsWith("BUDGET#")) {
                    // A participatory budget's ballot and projects, under the person's pseudonym in that budget.
                    String mine = pseudonyms.computeIfAbsent(pk, p -> org.territoire.consultations.budget.BudgetService.pseudonym(
                            p.substring("BUDGET#".length()), accountId));
                    if (sk.equals("BALLOT#" + mine)) {
                        held.add(new Held(Kind.BALLOT, i));
                    } else if (sk.equals("DRAFTER#" + accountId)) {
                        // The "started, not confirmed" marker for the reminder: deleted, the ballot stays counted as started.
                        held.add(new Held(Kind.BUDGET_DRAFTER, i));
                    } else if (sk.startsWith("PROJECT#") && i.containsKey("data") && i.get("data").s().contains("\"authorPseudonym\":\"" + mine + "\"")) {
                        held.add(new Held(Kind.BUDGET_PROJECT, i));
                    }
                    continue;
                }
                if (!pk.startsWith("CONS#")) {
                    continue;
                }
                String pseudonym = pseudonyms.computeIfAbsent(pk, p -> ConsultationService.pseudonym(p.substring("CONS#".length()), accountId));
                if (sk.equals("PART#" + pseudonym)) {
                    held.add(new Held(Kind.PARTICIPATION, i));
                } else if (sk.startsWith("SUPPORT#") && sk.endsWith("#" + pseudonym)) {
                    held.add(new Held(Kind.SUPPORT, i));
                } else if (sk.startsWith("FLAG#") && sk.endsWith("#" + pseudonym)) {
                    held.add(new Held(Kind.FLAG, i));
                } else if (sk.startsWith("PROP#") && accountId.equals(str(i, "authorId"))) {
                    held.add(new Held(Kind.PROPOSAL, i));
                } else if (sk.startsWith("COMMENT#") && accountId.equals(str(i, "authorId"))) {
                    held.add(new Held(Kind.COMMENT, i));
                }
                if (accountId.equals(str(i, "hiddenBy"))) {
                    held.add(new Held(Kind.MODERATION, i));
                }
            }
        });
        return held;
    }

    @Override
    public Map<String, Object> export(String accountId) {
        List<Map<String, Object>> participations = new ArrayList<>();
        List<Map<String, Object>> supports = new ArrayList<>();
        List<Map<String, Object>> proposals = new ArrayList<>();
        List<Map<String, Object>> comments = new ArrayList<>();
        List<Map<String, Object>> flags = new ArrayList<>();
        List<Map<String, Object>> ballots = new ArrayList<>();
        List<Map<String, Object>> budgetProjects = new ArrayList<>();
        for (Held h : items(accountId)) {
            Map<String, AttributeValue> i = h.item();
            if (h.kind() == Kind.BUDGET_DRAFTER) {
                continue; // the same fact as the ballot exported (a draft started), for the reminder only
            }
            if (h.kind() == Kind.BALLOT || h.kind() == Kind.BUDGET_PROJECT) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("budgetId", i.get("pk").s().substring("BUDGET#".length()));
                if (h.kind() == Kind.BALLOT) {
                    out.put("draft", Json.tree(i.get("draft").s()));
                    out.put("confirmed", i.containsKey("confirmed") ? Json.tree(i.get("confirmed").s()) : null);
                    out.put("receipt", str(i, "receipt"));
                    out.put("savedAt", str(i, "savedAt"));
                    out.put("confirmedAt", str(i, "confirmedAt"));
                    ballots.add(out);
                } else {
                    JsonNodeView.copy(Json.tree(i.get("data").s()), out, "id", "title", "description", "proposedCost", "createdAt");
                    budgetProjects.add(out);
                }
                continue;
            }
            String consultationId = i.get("pk").s().substring("CONS#".length());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("consultationId", consultationId);
            switch (h.kind()) {
                case PARTICIPATION -> {
                    out.put("at", str(i, "at"));
                    out.put("changedAt", str(i, "changedAt"));
                    // Kept only where answers may change; otherwise the answers are stored under no one's name.
                    out.put("answers", i.containsKey("answers") ? Json.tree(i.get("answers").s()) : null);
                    participations.add(out);
                }
                case SUPPORT -> {
                    String sk = i.get("sk").s();
                    out.put("proposalId", sk.substring("SUPPORT#".length(), sk.lastIndexOf('#')));
                    supports.add(out);
                }
                case FLAG -> {
                    String sk = i.get("sk").s();
                    out.put("flagged", sk.substring("FLAG#".length(), sk.lastIndexOf('#')));
                    flags.add(out);
                }
                case PROPOSAL -> {
                    for (String a : List.of("id", "title", "body", "createdAt", "updatedAt")) {
                        out.put(a, str(i, a));
                    }
                    out.put("supports", i.containsKey("supports") ? Long.parseLong(i.get("supports").n()) : 0);
                    out.put("hidden", i.containsKey("hidden") && i.get("hidden").bool());
                    proposals.add(out);
                }
                case COMMENT -> {
                    for (String a : List.of("id", "proposalId", "text", "createdAt")) {
                        out.put(a, str(i, a));
                    }
                    out.put("hidden", i.containsKey("hidden") && i.get("hidden").bool());
                    comments.add(out);
                }
                default -> {
                }
            }
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("readme", "participations: your answers to polls and experiments (answers only where they may change; elsewhere "
                + "they are stored under no one's name from the start); supports: the proposals you support; proposals and comments: "
                + "what you wrote; flags: what you flagged for moderation (a proposal's or a comment's id); budgetBallots: your "
                + "participatory budget ballots (the draft and what you confirmed); budgetProjects: the projects you proposed.");
        export.put("participations", participations);
        export.put("supports", supports);
        export.put("proposals", proposals);
        export.put("comments", comments);
        export.put("flags", flags);
        export.put("budgetBallots", ballots);
        export.put("budgetProjects", budgetProjects);
        return export;
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        Erasures.tombstone(dynamo, table, accountId, Instant.now());
        Map<String, Integer> done = new TreeMap<>();
        for (Held h : items(accountId)) {
            Map<String, AttributeValue> i = h.item();
            boolean changed = switch (h.kind()) {
                case PARTICIPATION, SUPPORT, FLAG, BALLOT -> unlink(i);
                case BUDGET_PROJECT -> unlinkAuthor(i);
                case PROPOSAL, COMMENT -> rename(i, "authorId", accountId);
                case MODERATION -> rename(i, "hiddenBy", accountId);
                case REPLAY, BUDGET_DRAFTER -> {
                    Erasures.delete(dynamo, table, i);
                    yield true;
                }
            };
            if (changed) {
                done.merge(h.kind().name().toLowerCase(), 1, Integer::sum);
            }
        }
        return done;
    }

    /** The item moves from the pseudonym to a random one: same content, same counters, no one's. */
    private boolean unlink(Map<String, AttributeValue> i) {
        String sk = i.get("sk").s();
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        Map<String, AttributeValue> moved = new HashMap<>(i);
        moved.put("sk", s(sk.substring(0, sk.lastIndexOf('#') + 1) + HexFormat.of().formatHex(random)));
        return DynamoCalls.transact(dynamo, List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                        .conditionExpression("attribute_exists(pk)")).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(moved).conditionExpression("attribute_not_exists(pk)")).build()));
    }

    /**
     * A budget project keeps its public text; its author's pseudonym becomes a random one, so
     * that nothing computed from the account finds it any more.
     */
    private boolean unlinkAuthor(Map<String, AttributeValue> i) {
        var data = (com.fasterxml.jackson.databind.node.ObjectNode) Json.tree(i.get("data").s());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        data.put("authorPseudonym", HexFormat.of().formatHex(random));
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                .updateExpression("SET #d = :d").conditionExpression("#d = :old").expressionAttributeNames(Map.of("#d", "data"))
                .expressionAttributeValues(Map.of(":d", s(Json.write(data)), ":old", i.get("data")))));
    }

    private boolean rename(Map<String, AttributeValue> i, String attribute, String accountId) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", i.get("pk"), "sk", i.get("sk")))
                .updateExpression("SET #a = :former").conditionExpression("#a = :a").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":former", s(FORMER), ":a", s(accountId)))));
    }

    /** Copies the named members of a JSON object into an export map. */
    private static final class JsonNodeView {
        static void copy(com.fasterxml.jackson.databind.JsonNode from, Map<String, Object> to, String... names) {
            for (String name : names) {
                var v = from.get(name);
                to.put(name, v == null || v.isNull() ? null : v.isNumber() ? (Object) v.longValue() : v.asText());
            }
        }
    }
}
