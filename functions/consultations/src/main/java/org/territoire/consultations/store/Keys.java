package org.territoire.consultations.store;

import static org.territoire.shared.ddb.Attributes.n;
import static org.territoire.shared.ddb.Attributes.s;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The consultations table's keys, and the condition every participation carries:
 * <pre>
 *   CONS#id   META                       the consultation (GSI1: CONSULTATIONS, by creation)
 *   CONS#id   PART#pseudonym             a participation (answers only when they may change)
 *   CONS#id   TALLY#0..7                 tally shards: participants and counters
 *   CONS#id   TEXT#q#uuid                a free-text answer, under no one's name
 *   CONS#id   PROP#pid                   a proposal, its support, comment and flag counters
 *   CONS#id   SUPPORT#pid#pseudonym      one support
 *   CONS#id   COMMENT#pid#time#cid       a comment
 *   CONS#id   FLAG#target#pseudonym      one flag
 * </pre>
 */
final class Keys {
    static final String META = "META";

    private Keys() {
    }

    static Map<String, AttributeValue> key(String consultationId, String sk) {
        return Map.of("pk", s(partition(consultationId)), "sk", s(sk));
    }

    static String partition(String consultationId) {
        return "CONS#" + consultationId;
    }

    /** The consultation is scheduled and open at {@code now}: checked in the transaction that writes, not before it. */
    static TransactWriteItem openAt(String table, String consultationId, Instant now) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(consultationId, META))
                .conditionExpression("scheduled = :yes AND opensAtMs <= :now AND closesAtMs > :now")
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true), ":now", n(now.toEpochMilli())))).build();
    }
}
