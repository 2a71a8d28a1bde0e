package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.shared.json.Json;

/**
 * An AWS IoT Core policy document, evaluated as IoT Core evaluates it for a connected thing
 * (https://docs.aws.amazon.com/iot/latest/developerguide/iot-policies.html): an explicit Deny
 * wins, then any Allow; nothing allowed is denied. Actions and resources match with {@code *}
 * and {@code ?}; the thing policy variables {@code ${iot:Connection.Thing.ThingName}},
 * {@code ${iot:Connection.Thing.Attributes[name]}}, {@code ${iot:Connection.Thing.IsAttached}}
 * and {@code ${iot:ClientId}} are substituted; a statement with a variable that has no value,
 * or with a condition other than {@code Bool iot:Connection.Thing.IsAttached}, does not apply.
 */
public final class IotPolicy {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    /** Who asks: the values of the policy variables. */
    public record Context(String clientId, String thingName, Map<String, String> attributes, boolean attached) {
        String variable(String name) {
            if (name.equals("iot:ClientId")) {
                return clientId;
            }
            if (name.equals("iot:Connection.Thing.ThingName")) {
                return thingName;
            }
            if (name.equals("iot:Connection.Thing.IsAttached")) {
                return Boolean.toString(attached);
            }
            if (name.startsWith("iot:Connection.Thing.Attributes[") && name.endsWith("]")) {
                return attributes.get(name.substring("iot:Connection.Thing.Attributes[".length(), name.length() - 1));
            }
            return null;
        }
    }

    private record Statement(boolean allow, List<String> actions, List<String> resources, JsonNode condition) {
    }

    private final List<Statement> statements = new ArrayList<>();

    private IotPolicy() {
    }

    public static IotPolicy parse(String document) {
        IotPolicy policy = new IotPolicy();
        JsonNode root = Json.tree(document);
        JsonNode list = root.path("Statement");
        for (JsonNode s : list.isArray() ? list : List.of(list)) {
            policy.statements.add(new Statement("Allow".equals(s.path("Effect").asText()), values(s.path("Action")), values(s.path("Resource")),
                    s.path("Condition")));
        }
        return policy;
    }

    /** Everything, for the local runtime's own clients (what an IAM principal with {@code iot:*} may do). */
    public static IotPolicy allowAll() {
        IotPolicy policy = new IotPolicy();
        policy.statements.add(new Statement(true, List.of("iot:*"), List.of("*"), Json.MAPPER.missingNode()));
        return policy;
    }

    /** Whether any of these policies lets {@code context} do {@code action} on {@code resource}, and none denies it. */
    public static boolean allows(List<IotPolicy> policies, String action, String resource, Context context) {
        boolean allowed = false;
        for (IotPolicy policy : policies) {
            for (Statement s : policy.statements) {
                if (applies(s, action, resource, context)) {
                    if (!s.allow()) {
                        return false;
                    }
                    allowed = true;
                }
            }
        }
        return allowed;
    }

    private static boolean applies(Statement s, String action, String resource, Context context) {
        if (s.actions().stream().noneMatch(a -> glob(a, null).matcher(action).matches())) {
            return false;
        }
        // A condition this evaluator cannot read keeps an Allow from applying and makes a Deny
        // apply: it fails closed either way.
        if (!conditionHolds(s.condition(), context, !s.allow())) {
            return false;
        }
        for (String pattern : s.resources()) {
            Pattern compiled = glob(pattern, context);
            if (compiled != null && compiled.matcher(resource).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionHolds(JsonNode condition, Context context, boolean whenUnreadable) {
        if (condition.isMissingNode() || condition.isEmpty()) {
            return true;
        }
        for (var operator : condition.properties()) {
            if (!operator.getKey().equals("Bool")) {
                return whenUnreadable;
            }
            for (var key : operator.getValue().properties()) {
                if (!key.getKey().equals("iot:Connection.Thing.IsAttached")) {
                    return whenUnreadable;
                }
                if (!key.getValue().asText().equalsIgnoreCase(Boolean.toString(context.attached()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The pattern as a regex: {@code *} any characters, {@code ?} one, variables replaced by their literal value; null if one has none. */
    private static Pattern glob(String pattern, Context context) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(pattern);
        int at = 0;
        while (m.find()) {
            regex.append(wildcards(pattern.substring(at, m.start())));
            String value = context == null ? null : context.variable(m.group(1));
            if (value == null) {
                return null;
            }
            regex.append(Pattern.quote(value));
            at = m.end();
        }
        regex.append(wildcards(pattern.substring(at)));
        return Pattern.compile(regex.toString());
    }

    private static String wildcards(String literal) {
        StringBuilder out = new StringBuilder();
        StringBuilder run = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!run.isEmpty()) {
                    out.append(Pattern.quote(run.toString()));
                    run.setLength(0);
                }
                out.append(c == '*' ? ".*" : ".");
            } else {
                run.append(c);
            }
        }
        if (!run.isEmpty()) {
            out.append(Pattern.quote(run.toString()));
        }
        return out.toString();
    }

    /** A policy member that may be one string or a list of them, as a list. */
    static List<String> values(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode()) {
            values.add(node.asText());
        }
        return values;
    }
}
