package org.territoire.telemetry.reading;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.telemetry.rollup.Rollup;

/** Raw readings, the latest value and rollups of each device. */
public interface ReadingRepository {
    /** Stores a reading once: false when one with the same device and time is already stored. */
    boolean put(Reading reading, Instant expiresAt);

    /** Readings with {@code from <= at < to}, in time order. */
    List<Reading> between(String deviceId, Instant from, Instant to);

    /** Readings with {@code from <= at < to}, in time order, a page at a time. */
    org.territoire.shared.page.Page<Reading> page(String deviceId, Instant from, Instant to, int limit, Optional<String> token);

    /**
     * Everything stored about these devices (readings, rollups, alerts) as export records, a
     * page at a time: the data of a year of readings does not fit in one answer.
     */
    org.territoire.shared.page.Page<Map<String, Object>> export(List<String> deviceIds, int limit, Optional<String> token);

    /**
     * The readings with {@code since <= at < end}, in time order, preceded by the last one
     * before {@code since} if there is one: an hour's rollup and the alert windows inside it
     * from one read.
     */
    List<Reading> withPrevious(String deviceId, Instant since, Instant end);

    /** The last reading before {@code at}, if any. */
    Optional<Reading> before(String deviceId, Instant at);

    /** The first reading at or after {@code at}, if any. */
    Optional<Reading> atOrAfter(String deviceId, Instant at);

    /**
     * What one conditional write of the latest value found, from the item it wrote or was refused
     * by (no read): whether the reading became the latest, the one it replaced, the latest after
     * the write, and whether the device may carry an offline alert (the sweep marked it, or
     * nothing tells: its first message since this layout).
     */
    record LatestUpdate(boolean applied, Optional<Reading> previous, Optional<Reading> latest, boolean mayBeOffline) {
    }

    /**
     * Sets the latest value, which is also the time the device was last heard from, if this
     * reading is newer than the stored one (late readings never move it back).
     */
    LatestUpdate putLatest(Reading reading);

    Optional<Reading> latest(String deviceId);

    /** The latest value and whether the sweep has marked the device offline (its offline alert is active). */
    record Heard(Optional<Reading> latest, boolean offline) {
    }

    Heard heard(String deviceId);

    /** Stores a rollup unless one computed from more readings is already there. */
    void putRollup(String deviceId, Rollup rollup);

    /** Rollups with keys in [fromKey, toKey] of one period (H#, D# or M#), in order. */
    List<Rollup> rollups(String deviceId, String fromKey, String toKey);

    /** Deletes every reading, rollup and alert of the device; the device stays registered. */
    int erase(String deviceId);
}
