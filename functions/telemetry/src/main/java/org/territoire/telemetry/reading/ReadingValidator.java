package org.territoire.telemetry.reading;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;

/**
 * Checks a message's readings one by one against the device's kind: each is accepted or
 * rejected with its reason, so that one bad reading never costs the valid ones beside it.
 * A device message is {@code {"readings": [{"at": "2026-11-25T10:00:00Z", "energy_kwh": 1234.5}, ...]}};
 * a single reading may also be sent bare.
 */
public final class ReadingValidator {
    public static final int MAX_READINGS = 100;
    /** Device clocks drift; a reading further ahead than this is refused. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    /** Older readings are late beyond any use (and beyond the raw retention). */
    static final Duration MAX_AGE = Duration.ofDays(365);

    public record Rejected(int index, String reason) {
    }

    public record Outcome(List<Reading> accepted, List<Rejected> rejected) {
    }

    private ReadingValidator() {
    }

    public static Outcome check(Device device, JsonNode message, Instant now) {
        List<Reading> accepted = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        JsonNode readings = message.has("readings") ? message.get("readings") : message;
        if (readings.isObject()) {
            readings = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(readings);
        }
        if (!readings.isArray()) {
            rejected.add(new Rejected(-1, "readings must be an array of objects"));
            return new Outcome(accepted, rejected);
        }
        if (readings.size() > MAX_READINGS) {
            rejected.add(new Rejected(-1, "a message carries at most " + MAX_READINGS + " readings; it had " + readings.size()));
            return new Outcome(accepted, rejected);
        }
        for (int i = 0; i < readings.size(); i++) {
            String problem = null;
            JsonNode r = readings.get(i);
            Instant at = null;
            Map<String, Double> values = new LinkedHashMap<>();
            if (!r.isObject()) {
                problem = "is not an object";
            } else {
                try {
                    at = Instant.parse(r.path("at").asText(""));
                } catch (DateTimeParseException e) {
                    problem = "at: must be an ISO-8601 UTC time such as 2026-11-25T10:00:00Z";
                }
                if (at != null && at.isAfter(now.plus(FUTURE_TOLERANCE))) {
                    problem = "at: " + at + " is in the future";
                } else if (at != null && at.isBefore(now.minus(MAX_AGE))) {
                    problem = "at: " + at + " is older than a year";
                }
                var fields = r.properties().iterator();
                while (problem == null && fields.hasNext()) {
                    var field = fields.next();
                    if (field.getKey().equals("at")) {
                        continue;
                    }
                    problem = value(device.kind(), field.getKey(), field.getValue(), values);
                }
                if (problem == null && values.isEmpty()) {
                    problem = "carries no measurement (expected some of " + device.kind().metrics().keySet() + ")";
                }
            }
            if (problem == null) {
                accepted.add(new Reading(device.id(), at, values));
            } else {
                rejected.add(new Rejected(i, problem));
            }
        }
        return new Outcome(accepted, rejected);
    }

    private static String value(DeviceKind kind, String field, JsonNode raw, Map<String, Double> values) {
        DeviceKind.Metric metric = kind.metrics().get(field);
        if (metric == null) {
            return field + ": not a field of a " + kind.name().toLowerCase() + " (expected " + kind.metrics().keySet() + ")";
        }
        double value;
        if (metric.flag()) {
            if (!raw.isBoolean()) {
                return field + ": must be true or false";
            }
            value = raw.asBoolean() ? 1 : 0;
        } else {
            if (!raw.isNumber() || !Double.isFinite(raw.asDouble())) {
                return field + ": must be a number";
            }
            value = raw.asDouble();
            if (value < metric.min() || value > metric.max()) {
                return field + ": " + value + " is outside " + metric.min() + " to " + metric.max();
            }
        }
        values.put(field, value);
        return null;
    }
}
