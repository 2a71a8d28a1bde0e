package org.territoire.telemetry.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.reading.Reading;
import org.territoire.telemetry.reading.ReadingRepository;

/**
 * The threshold rules, with their durations, checked on the stored readings after each
 * ingestion: PM2.5 above 50 µg/m³ for 15 minutes; water flowing without a pause for 3 hours;
 * a device that has just been heard from again clears its offline alert. Raising and clearing
 * are conditional writes, so concurrent or repeated deliveries raise an alert once.
 */
public final class AlertEvaluator {
    static final double PM25_LIMIT = 50;
    static final Duration PM25_DURATION = Duration.ofMinutes(15);
    static final Duration FLOW_DURATION = Duration.ofHours(3);

    private final ReadingRepository readings;
    private final AlertRepository alerts;
    private org.territoire.shared.events.DomainEvents events = org.territoire.shared.events.DomainEvents.NONE;

    public AlertEvaluator(ReadingRepository readings, AlertRepository alerts) {
        this.readings = readings;
        this.alerts = alerts;
    }

    /** Publishes each alert raised or cleared (after its committed write) through {@code events}, for the device's owner. */
    public AlertEvaluator publishingTo(org.territoire.shared.events.DomainEvents events) {
        this.events = events;
        return this;
    }

    /** Alert Raised / Alert Cleared (docs/api.md): a device with no owner (the territory's own) tells no one. */
    private void told(String type, Device device, Alert.Rule rule, Instant at) {
        if (device.ownerId() != null) {
            java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("deviceId", device.id());
            detail.put("ownerId", device.ownerId());
            detail.put("alertKind", rule.name());
            detail.put("at", org.territoire.shared.json.Json.time(at));
            events.publish(type, detail);
        }
    }

    /** Readings already read for this message, when they cover a window (see {@link org.territoire.telemetry.rollup.LoadedReadings}). */
    public interface Window {
        /** The readings with {@code from < at < to} and the last one at or before {@code from}, if known without a read. */
        Optional<List<Reading>> withPrevious(Instant from, Instant to);

        Window NONE = (from, to) -> Optional.empty();
    }

    /** How far back from its newest reading a device's rules look (zero when none of its rules has a window). */
    public static java.time.Duration lookBack(Device device) {
        return switch (device.kind()) {
            case AIR_QUALITY -> PM25_DURATION;
            case WATER_METER -> FLOW_DURATION;
            default -> java.time.Duration.ZERO;
        };
    }

    /** Evaluates the device's rules at its newest reading ({@code latest}), reading every window; returns the alerts raised. */
    public List<Alert> evaluate(Device device, Optional<Reading> latest, Instant now) {
        return evaluate(device, latest, now, true, Window.NONE);
    }

    /**
     * Evaluates the device's rules at its newest reading ({@code latest}); returns the alerts
     * raised. The offline alert is looked up only when {@code mayBeOffline} (the latest value
     * carried the sweep's mark); windows the message's own reads cover are not read again.
     */
    public List<Alert> evaluate(Device device, Optional<Reading> latest, Instant now, boolean mayBeOffline, Window loaded) {
        List<Alert> raised = new ArrayList<>();
        if (mayBeOffline && alerts.clear(device.id(), Alert.Rule.OFFLINE, now)) {
            told("Alert Cleared", device, Alert.Rule.OFFLINE, now);
        }
        if (latest.isEmpty()) {
            return raised;
        }
        Instant at = latest.get().at();
        if (device.kind() == DeviceKind.AIR_QUALITY && latest.get().values().containsKey("pm2_5_ugm3")) {
            List<Reading> window = withPrevious(device.id(), at.minus(PM25_DURATION), at.plusMillis(1), loaded);
            boolean high = sustained(window, at.minus(PM25_DURATION), r -> r.values().getOrDefault("pm2_5_ugm3", 0.0) > PM25_LIMIT);
            decide(device, Alert.Rule.PM25_HIGH, high, latest.get().values().get("pm2_5_ugm3") <= PM25_LIMIT, at,
                    "PM2.5 above " + (int) PM25_LIMIT + " µg/m³ for 15 minutes", raised);
        }
        if (device.kind() == DeviceKind.WATER_METER) {
            List<Reading> window = withPrevious(device.id(), at.minus(FLOW_DURATION), at.plusMillis(1), loaded);
            boolean flowing = window.size() >= 2 && window.get(0).at().compareTo(at.minus(FLOW_DURATION)) <= 0;
            boolean stopped = false;
            for (int i = 1; i < window.size(); i++) {
                boolean moved = window.get(i).values().getOrDefault("volume_l", 0.0) > window.get(i - 1).values().getOrDefault("volume_l", 0.0);
                flowing &= moved;
                stopped = !moved && i == window.size() - 1;
            }
            decide(device, Alert.Rule.CONTINUOUS_FLOW, flowing, stopped, at, "water flowing without a pause for 3 hours: a leak?", raised);
        }
        return raised;
    }

    /** Raises the offline alert of a device silent for too long (the sweep's rule), unless it was heard from since {@code lastHeard}. */
    public Optional<Alert> offline(Device device, Instant lastHeard, Instant now) {
        Alert alert = new Alert(device.id(), Alert.Rule.OFFLINE, device.district(), device.ownerId(), now, null,
                "no data since " + lastHeard);
        if (!alerts.raiseOffline(alert, lastHeard)) {
            return Optional.empty();
        }
        told("Alert Raised", device, Alert.Rule.OFFLINE, now);
        return Optional.of(alert);
    }

    private void decide(Device device, Alert.Rule rule, boolean raise, boolean clear, Instant at, String detail, List<Alert> raised) {
        if (raise) {
            Alert alert = new Alert(device.id(), rule, device.district(), device.ownerId(), at, null, detail);
            if (alerts.raise(alert)) {
                raised.add(alert);
                told("Alert Raised", device, rule, at);
            }
        } else if (clear && alerts.clear(device.id(), rule, at)) {
            told("Alert Cleared", device, rule, at);
        }
    }

    /** True when readings cover the whole window from {@code since} and every one satisfies the test. */
    static boolean sustained(List<Reading> window, Instant since, java.util.function.Predicate<Reading> test) {
        return !window.isEmpty() && window.get(0).at().compareTo(since) <= 0 && window.stream().allMatch(test);
    }

    private List<Reading> withPrevious(String deviceId, Instant from, Instant to, Window loaded) {
        Optional<List<Reading>> known = loaded.withPrevious(from, to);
        if (known.isPresent()) {
            return known.get();
        }
        // One query: the readings after `from` and the last one at or before it.
        return readings.withPrevious(deviceId, from.plusMillis(1), to);
    }
}
