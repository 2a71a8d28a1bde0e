package org.territoire.telemetry.district;

import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.rollup.Rollup;

/**
 * The figures of one district's devices of one kind over one UTC hour: their hourly rollups
 * combined ({@code figures}, whose {@code basis} is the sum of theirs, so a computation that saw
 * fewer readings never overwrites one that saw more), how many devices contributed and how many
 * distinct households (owners) they belong to.
 */
public record DistrictHour(String district, DeviceKind kind, Rollup figures, int devices, int households) {
}
