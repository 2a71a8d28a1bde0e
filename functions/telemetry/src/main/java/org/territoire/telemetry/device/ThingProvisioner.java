package org.territoire.telemetry.device;

/**
 * Makes a device's identity in AWS IoT: a thing named after the device, a new certificate and
 * key pair, the certificate attached to the thing and to the devices' policy.
 */
public interface ThingProvisioner {
    /** What the device must be flashed with. The private key exists only in this answer. */
    record Credentials(String thingName, String certificateArn, String certificatePem, String privateKey) {
    }

    Credentials provision(Device device);
}
