package org.territoire.telemetry.device;

/**
 * Takes an erased device's identity out of AWS IoT: its certificates can no longer connect, then
 * are gone, and so is its thing. Idempotent: a device with no thing left is done.
 */
public interface ThingRetirer {
    void retire(String thingName);
}
