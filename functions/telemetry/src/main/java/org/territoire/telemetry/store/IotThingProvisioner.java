package org.territoire.telemetry.store;

import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.ThingProvisioner;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * Provisioning with the AWS SDK v2 IoT client: CreateThing (attributes: kind, district),
 * CreateKeysAndCertificate (active), AttachThingPrincipal, AttachPolicy of the devices' policy,
 * whose variables let a thing publish only on its own topics. See docs/operations.md.
 */
public final class IotThingProvisioner implements ThingProvisioner {
    private final IotClient iot;
    private final String policyName;

    public IotThingProvisioner(IotClient iot, String policyName) {
        this.iot = iot;
        this.policyName = policyName;
    }

    @Override
    public Credentials provision(Device device) {
        try {
            try {
                iot.createThing(t -> t.thingName(device.id()).attributePayload(a -> a.attributes(java.util.Map.of(
                        "kind", device.kind().name(), "district", device.district()))));
            } catch (ResourceAlreadyExistsException e) {
                // A retried registration: the thing exists; it gets a new certificate below.
            }
            CreateKeysAndCertificateResponse cert = iot.createKeysAndCertificate(c -> c.setAsActive(true));
            iot.attachThingPrincipal(a -> a.thingName(device.id()).principal(cert.certificateArn()));
            iot.attachPolicy(a -> a.policyName(policyName).target(cert.certificateArn()));
            return new Credentials(device.id(), cert.certificateArn(), cert.certificatePem(), cert.keyPair().privateKey());
        } catch (SdkException e) {
            throw org.territoire.shared.ddb.StorageException.from(e);
        }
    }
}
