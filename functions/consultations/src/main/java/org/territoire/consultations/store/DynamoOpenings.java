package org.territoire.consultations.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.territoire.consultations.consultation.Openings;
import org.territoire.shared.ddb.DynamoCalls;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The openings' sparse index, GSI2 of the consultations table: a scheduled consultation's
 * {@code META} item carries {@code gsi2pk = OPENINGS#UNANNOUNCED} and {@code gsi2sk = <opensAt
 * ms, 15 digits>#id} from its scheduling (written with the item, see
 * {@link DynamoConsultationRepository}); a sweep's claim moves it to {@code OPENINGS#ANNOUNCING}
 * under the claim's time, the announcement removes both attributes. Only unannounced and
 * half-announced consultations are in the index, so a sweep reads what is due with one Query,
 * never a Scan. GSI reads are eventually consistent: every write is conditioned on the entry as
 * read, so two sweeps that read the same entry claim it once.
 */
public final class DynamoOpenings implements Openings {
    static final String INDEX = "GSI2";
    static final String UNANNOUNCED = "OPENINGS#UNANNOUNCED";
    static final String ANNOUNCING = "OPENINGS#ANNOUNCING";

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
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Keys.key(o.consultationId(), Keys.META))
                .updateExpression("SET gsi2pk = :announcing, gsi2sk = :claim")
                .conditionExpression("gsi2pk = :state AND gsi2sk = :read")
                .expressionAttributeValues(Map.of(":announcing", s(ANNOUNCING), ":claim", s(sortKey(now, o.consultationId())),
                        ":state", s(o.claimed() ? ANNOUNCING : UNANNOUNCED), ":read", s(sortKey(o.at(), o.consultationId()))))));
    }

    @Override
    public boolean announced(String consultationId, Instant claimedAt) {
        return DynamoCalls.conditionally(() -> dynamo.updateItem(u -> u.tableName(table).key(Keys.key(consultationId, Keys.META))
                .updateExpression("SET announcedAt = :at REMOVE gsi2pk, gsi2sk")
                .conditionExpression("gsi2pk = :announcing AND gsi2sk = :claim")
                .expressionAttributeValues(Map.of(":at", s(claimedAt.toString()), ":announcing", s(ANNOUNCING),
                        ":claim", s(sortKey(claimedAt, consultationId))))));
    }

    private static Opening opening(Map<String, AttributeValue> i, boolean claimed) {
        String sk = i.get("gsi2sk").s();
        return new Opening(i.get("id").s(), i.get("districts").l().stream().map(AttributeValue::s).toList(),
                Instant.ofEpochMilli(Long.parseLong(i.get("closesAtMs").n())),
                Instant.ofEpochMilli(Long.parseLong(sk.substring(0, sk.indexOf('#')))), claimed);
    }
}
