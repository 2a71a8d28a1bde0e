package org.territoire.local.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Everything a table holds, as text: every item read by a full scan of the local endpoint, every
 * attribute name and value (strings, numbers, sets, lists, maps, binaries decoded and in base64).
 * A test asserts a secret occurs nowhere in it, in whatever attribute the code put it.
 */
public final class TableText {
    private TableText() {
    }

    public static String of(DynamoDbClient dynamo, String table) {
        StringBuilder text = new StringBuilder();
        dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()
                .forEach(item -> append(text, item).append('\n'));
        return text.toString();
    }

    private static StringBuilder append(StringBuilder text, Map<String, AttributeValue> item) {
        item.forEach((name, value) -> append(text.append(name).append('='), value).append(' '));
        return text;
    }

    private static StringBuilder append(StringBuilder text, AttributeValue v) {
        if (v.s() != null) {
            text.append(v.s());
        } else if (v.n() != null) {
            text.append(v.n());
        } else if (v.b() != null) {
            byte[] bytes = v.b().asByteArray();
            text.append(new String(bytes, StandardCharsets.UTF_8)).append(' ').append(Base64.getEncoder().encodeToString(bytes));
        } else if (v.hasSs()) {
            text.append(v.ss());
        } else if (v.hasNs()) {
            text.append(v.ns());
        } else if (v.hasL()) {
            v.l().forEach(e -> append(text, e).append(','));
        } else if (v.hasM()) {
            append(text, v.m());
        }
        return text;
    }
}
