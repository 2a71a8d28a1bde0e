package org.territoire.telemetry.rollup;

import java.time.Instant;
import java.util.Map;

/**
 * A device's figures over an hour, a day or a month: per metric the count, sum, min and max of
 * its readings; for a meter, the consumption (or production) derived from its index.
 * {@code basis} grows with every reading the computation saw (the sum of their times), so a
 * rollup computed from fewer readings never overwrites one computed from more.
 */
public record Rollup(String key, Instant start, Instant end, long readings, long basis, Map<String, Stats> metrics,
                     Double consumption) {

    public record Stats(long count, double sum, double min, double max) {
        public double average() {
            return count == 0 ? 0 : sum / count;
        }

        Stats plus(Stats other) {
            return new Stats(count + other.count, sum + other.sum, Math.min(min, other.min), Math.max(max, other.max));
        }
    }

    public Rollup {
        metrics = Map.copyOf(metrics);
    }
}
