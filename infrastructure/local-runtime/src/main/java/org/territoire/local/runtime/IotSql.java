package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.shared.json.Json;

/**
 * The part of AWS IoT SQL (version 2016-03-23) that the local rule engine runs: {@code SELECT}
 * of {@code *}, payload fields ({@code a.b AS c}), {@code topic()}, {@code topic(n)},
 * {@code timestamp()} and {@code clientid()}, {@code FROM '<topic filter>'}. Anything else,
 * a {@code WHERE} clause included, is refused when the template is loaded, so a rule can
 * never behave differently here without saying so.
 * https://docs.aws.amazon.com/iot/latest/developerguide/iot-sql-reference.html
 */
public record IotSql(List<Item> items, String topicFilter) {
    private static final Pattern STATEMENT = Pattern.compile(
            "(?is)^\\s*SELECT\\s+(.+?)\\s+FROM\\s+'([^']+)'\\s*(.*)$");
    private static final Pattern ITEM = Pattern.compile(
            "(?i)^\\s*(\\*|topic\\(\\s*(\\d*)\\s*\\)|timestamp\\(\\s*\\)|clientid\\(\\s*\\)|[A-Za-z_][\\w.]*)\\s*(?:AS\\s+([A-Za-z_]\\w*))?\\s*$");

    /** One projected item: {@code *}, a function, or a payload path; with its output name. */
    public record Item(String expression, Integer topicLevel, String alias) {
    }

    /** What a rule sees of a message. */
    public record Message(String topic, String clientId, JsonNode payload, long timestampMillis) {
    }

    public static IotSql parse(String sql) {
        Matcher m = STATEMENT.matcher(sql);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported IoT SQL (expected SELECT ... FROM '...'): " + sql);
        }
        if (!m.group(3).isBlank()) {
            throw new IllegalArgumentException("the local rule engine does not run '" + m.group(3).strip() + "' in: " + sql);
        }
        List<Item> items = new ArrayList<>();
        for (String raw : m.group(1).split(",")) {
            Matcher item = ITEM.matcher(raw);
            if (!item.matches()) {
                throw new IllegalArgumentException("unsupported SELECT item '" + raw.strip() + "' in: " + sql);
            }
            String expression = item.group(1).replaceAll("\\s", "").toLowerCase(Locale.ROOT).startsWith("topic(")
                    ? "topic()" : item.group(1).replaceAll("\\s", "");
            Integer level = item.group(2) == null || item.group(2).isEmpty() ? null : Integer.valueOf(item.group(2));
            items.add(new Item(expression, level, item.group(3)));
        }
        return new IotSql(List.copyOf(items), m.group(2));
    }

    /** MQTT topic filter matching, with the + and # wildcards. */
    public boolean matches(String topic) {
        String[] filter = topicFilter.split("/", -1);
        String[] levels = topic.split("/", -1);
        for (int i = 0; i < filter.length; i++) {
            if ("#".equals(filter[i])) {
                return true;
            }
            if (i >= levels.length || !"+".equals(filter[i]) && !filter[i].equals(levels[i])) {
                return false;
            }
        }
        return filter.length == levels.length;
    }

    /** The rule's output for this message: the event its Lambda action receives. */
    public ObjectNode select(Message message) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Item item : items) {
            String lower = item.expression().toLowerCase(Locale.ROOT);
            if ("*".equals(item.expression())) {
                if (!message.payload().isObject()) {
                    throw new IllegalArgumentException("SELECT * needs a JSON object payload");
                }
                out.setAll((ObjectNode) message.payload());
            } else if ("topic()".equals(lower)) {
                String[] levels = message.topic().split("/");
                String value = item.topicLevel() == null ? message.topic()
                        : item.topicLevel() >= 1 && item.topicLevel() <= levels.length ? levels[item.topicLevel() - 1] : null;
                put(out, item.alias() != null ? item.alias() : "topic", value);
            } else if ("timestamp()".equals(lower)) {
                out.put(item.alias() != null ? item.alias() : "timestamp", message.timestampMillis());
            } else if ("clientid()".equals(lower)) {
                put(out, item.alias() != null ? item.alias() : "clientid", message.clientId());
            } else {
                JsonNode value = message.payload().at("/" + item.expression().replace('.', '/'));
                String name = item.alias() != null ? item.alias() : item.expression().substring(item.expression().lastIndexOf('.') + 1);
                if (!value.isMissingNode()) {
                    out.set(name, value);
                }
            }
        }
        return out;
    }

    private static void put(ObjectNode out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }
}
