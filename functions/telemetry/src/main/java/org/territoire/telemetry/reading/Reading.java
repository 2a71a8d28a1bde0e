package org.territoire.telemetry.reading;

import java.time.Instant;
import java.util.Map;

/** One measurement of a device at one time; flags are stored as 1 and 0. Keyed by device and time, so a duplicate is the same item. */
public record Reading(String deviceId, Instant at, Map<String, Double> values) {
    public Reading {
        values = Map.copyOf(values);
    }
}
