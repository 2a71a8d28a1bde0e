package org.territoire.shared.ddb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Short forms for the low-level client's attribute values, shared by the adapters that use it. */
public final class Attributes {
    private Attributes() {
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(Number value) {
        return AttributeValue.fromN(value.toString());
    }

    /** A string attribute of an item, or null when absent. */
    public static String str(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? item.get(name).s() : null;
    }
}
