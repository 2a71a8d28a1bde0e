package org.territoire.telemetry.store;

import java.util.Optional;
import org.territoire.telemetry.device.CertificateRequest;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.ThingProvisioner;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * Provisioning with the AWS SDK v2 IoT client: CreateThing (attributes: kind, district, which
 * the devices' policy binds the topics to), CreateCertificateFromCsr for the device's own key
 * (or CreateKeysAndCertificate when the device has no CSR), active, AttachThingPrincipal,
 * AttachPolicy of the devices' policy, whose variables let a thing publish only on its own
 * topics. See docs/operations.md.
 */
public final class IotThingProvisioner implements ThingProvisioner {
    private final IotClient iot;
    private final String policyName;

    public IotThingProvisioner(IotClient iot, String policyName) {
        this.iot = iot;
        this.policyName = policyName;
    }

    @Override
    public Provisioned provision(Device device, Optional<CertificateRequest> csr) {
        try {
            try {
                iot.createThing(t -> t.thingName(device.id()).attributePayload(a -> a.attributes(java.util.Map.of(
                        "kind", device.kind().name(), "district", device.district()))));
            } catch (ResourceAlreadyExistsException e) {
                // A retried registration: the thing exists; it gets a new certificate below.
            }
            String arn;
            String pem;
            Optional<String> privateKey;
            if (csr.isPresent()) {
                var cert = iot.createCertificateFromCsr(c -> c.certificateSigningRequest(csr.get().pem()).setAsActive(true));
                arn = cert.certificateArn();
                pem = cert.certificatePem();
                privateKey = Optional.empty();
            } else {
                var cert = iot.createKeysAndCertificate(c -> c.setAsActive(true));
                arn = cert.certificateArn();
                pem = cert.certificatePem();
                privateKey = Optional.of(cert.keyPair().privateKey());
            }
            iot.attachThingPrincipal(a -> a.thingName(device.id()).principal(arn));
            iot.attachPolicy(a -> a.policyName(policyName).target(arn));
            return new Provisioned(new Credentials(device.id(), arn, pem), privateKey);
        } catch (SdkException e) {
            throw org.territoire.shared.ddb.StorageException.from(e);
        }
    }
}
