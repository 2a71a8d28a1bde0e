package org.territoire.telemetry.device;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kinds of device and what each may measure. A field's name carries its unit, as devices
 * send it ({@code energy_kwh}, {@code pm2_5_ugm3}); a reading with any other field, or a value
 * outside its range, is rejected. Meters and solar production send cumulative indexes, from
 * which consumption (or production) is derived; the other kinds send gauges.
 */
public enum DeviceKind {
    ELECTRICITY_METER("energy_kwh", metrics(m("energy_kwh", 0, 1e9), m("power_w", 0, 1e6))),
    WATER_METER("volume_l", metrics(m("volume_l", 0, 1e10))),
    HEAT_METER("energy_kwh", metrics(m("energy_kwh", 0, 1e9))),
    // temperature_c: the panels' temperature, when the inverter measures it (Smart Data Models' PhotovoltaicMeasurement asks for it).
    PV_PRODUCTION("energy_kwh", metrics(m("energy_kwh", 0, 1e9), m("power_w", 0, 1e7), m("temperature_c", -40, 100))),
    AIR_QUALITY(null, metrics(m("pm2_5_ugm3", 0, 1000), m("pm10_ugm3", 0, 2000), m("no2_ugm3", 0, 2000), m("o3_ugm3", 0, 1000))),
    NOISE(null, metrics(m("laeq_db", 0, 150))),
    PARKING_SENSOR(null, metrics(flag("occupied"))),
    SMART_LOCK(null, metrics(flag("locked"), m("battery_pct", 0, 100))),
    HOME_SENSOR(null, metrics(m("temperature_c", -40, 80), m("humidity_pct", 0, 100))),
    HEALTH_DEVICE(null, metrics(m("heart_rate_bpm", 20, 250), m("spo2_pct", 50, 100), m("systolic_mmhg", 50, 260),
            m("diastolic_mmhg", 30, 160)));

    /** A field a device of this kind may send: its range, or a true/false flag stored as 1/0. */
    public record Metric(String field, double min, double max, boolean flag) {
    }

    private final String cumulative;
    private final Map<String, Metric> metrics;

    DeviceKind(String cumulative, Map<String, Metric> metrics) {
        this.cumulative = cumulative;
        this.metrics = metrics;
    }

    public Map<String, Metric> metrics() {
        return metrics;
    }

    /** The cumulative index field of a meter, or null for gauges. */
    public String cumulativeField() {
        return cumulative;
    }

    public boolean cumulative() {
        return cumulative != null;
    }

    /** Data only its owner reads, never aggregated nor shown to anyone else. */
    public boolean health() {
        return this == HEALTH_DEVICE;
    }

    /** Home devices: personal data when they have an owner, aggregated only over enough households. */
    public boolean household() {
        return switch (this) {
            case ELECTRICITY_METER, WATER_METER, HEAT_METER, PV_PRODUCTION, HOME_SENSOR, HEALTH_DEVICE -> true;
            default -> false;
        };
    }

    /** How long raw readings are kept, unless {@code RETENTION_DAYS_<KIND>} says otherwise. */
    public Duration defaultRetention() {
        return Duration.ofDays(365);
    }

    private static Metric m(String field, double min, double max) {
        return new Metric(field, min, max, false);
    }

    private static Metric flag(String field) {
        return new Metric(field, 0, 1, true);
    }

    private static Map<String, Metric> metrics(Metric... metrics) {
        Map<String, Metric> map = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            map.put(metric.field(), metric);
        }
        return Map.copyOf(map);
    }
}
