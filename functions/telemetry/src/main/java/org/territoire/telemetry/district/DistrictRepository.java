package org.territoire.telemetry.district;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.telemetry.device.DeviceKind;

/** District hours as the sweep materialises them, the marks of hours to compute again, and how far the sweep has gone. */
public interface DistrictRepository {
    /** Stores a district hour unless one computed from more readings is already there. */
    void put(DistrictHour hour);

    /** The stored hours of a district and kind from {@code fromHour} to {@code toHour} (inclusive), in order: one query. */
    List<DistrictHour> hours(String district, DeviceKind kind, Instant fromHour, Instant toHour);

    /**
     * An hour of a district and kind to compute again: a reading reached it after the sweep had
     * computed it. {@code token} is new at every marking (two in the same millisecond differ).
     */
    record Mark(String district, DeviceKind kind, Instant hour, String token) {
    }

    /** Marks the hour (again: the mark's token changes, so a sweep that read the older mark does not remove it). */
    void mark(String district, DeviceKind kind, Instant hour, Instant at);

    /** The oldest marks, at most {@code limit}. */
    List<Mark> marks(int limit);

    /** Removes the mark unless it was marked again since it was read. */
    void unmark(Mark mark);

    /** The last hour the sweep has computed for every district, if it ever ran. */
    Optional<Instant> sweptThrough();

    /** Records that the sweep has computed every district up to {@code hour}; never moves back. */
    void sweptThrough(Instant hour);
}
