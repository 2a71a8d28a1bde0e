package org.territoire.telemetry.device;

import java.util.Optional;

/**
 * Makes a device's identity in AWS IoT: a thing named after the device (attributes {@code kind}
 * and {@code district}, which the devices' policy reads), a certificate, attached to the thing
 * and to the devices' policy.
 */
public interface ThingProvisioner {
    /** What the device is flashed with: its certificate (public). */
    record Credentials(String thingName, String certificateArn, String certificatePem) {
    }

    /**
     * The certificate and, only when AWS made the key pair (no CSR), the private key: it exists
     * only in this answer.
     */
    record Provisioned(Credentials credentials, Optional<String> privateKey) {
    }

    /**
     * With a CSR the certificate is issued for the device's own key, which never leaves it;
     * without one AWS IoT makes a key pair (for devices that cannot make a CSR).
     */
    Provisioned provision(Device device, Optional<CertificateRequest> csr);
}
