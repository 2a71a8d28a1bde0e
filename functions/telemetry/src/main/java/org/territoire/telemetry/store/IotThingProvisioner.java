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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IotThingProvisioner.class);
    private final java.util.function.Supplier<IotClient> client;
    private final String policyName;

    public IotThingProvisioner(IotClient iot, String policyName) {
        this(() -> iot, policyName);
    }

    /**
     * A client made on the first registration: registration is the one route of the telemetry
     * API that calls IoT, so init (and a SnapStart restore's first request) does not pay for
     * building the IoT client, and every other request never does. {@code supplier} is called
     * at most once; concurrent first registrations wait for the same client.
     */
    public static IotThingProvisioner lazy(java.util.function.Supplier<IotClient> supplier, String policyName) {
        // A LazyClient, so that SnapStart priming builds it into the snapshot (ApiPriming).
        return new IotThingProvisioner(org.territoire.shared.ddb.LazyClient.of(supplier), policyName);
    }

    private IotThingProvisioner(java.util.function.Supplier<IotClient> client, String policyName) {
        this.client = client;
        this.policyName = policyName;
    }

    @Override
    public Provisioned provision(Device device, Optional<CertificateRequest> csr) {
        IotClient iot = client.get();
        String arn = null;
        boolean thingPrincipal = false;
        boolean policy = false;
        try {
            try {
                iot.createThing(t -> t.thingName(device.id()).attributePayload(a -> a.attributes(java.util.Map.of(
                        "kind", device.kind().name(), "district", device.district()))));
            } catch (ResourceAlreadyExistsException e) {
                // A retried registration: the thing exists; it gets a new certificate below.
            }
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
            String certificate = arn;
            iot.attachThingPrincipal(a -> a.thingName(device.id()).principal(certificate));
            thingPrincipal = true;
            iot.attachPolicy(a -> a.policyName(policyName).target(certificate));
            policy = true;
            return new Provisioned(new Credentials(device.id(), arn, pem), privateKey);
        } catch (SdkException e) {
            if (arn != null) {
                revoke(device.id(), arn, thingPrincipal, policy);
            }
            throw org.territoire.shared.ddb.StorageException.from(e);
        }
    }

    /**
     * Undoes a provisioning that failed after its certificate was issued: the registration is
     * refused, so nothing may keep a live credential for it. Deactivation comes first (it is
     * what locks the certificate out: IoT Core refuses an inactive certificate's connection);
     * deletion needs the certificate inactive and detached from its thing and policy
     * (https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteCertificate.html). Each
     * step is tried even if an earlier one failed; what could not be undone is logged by
     * certificate id for an operator (docs/operations.md).
     */
    private void revoke(String thingName, String arn, boolean thingPrincipal, boolean policy) {
        IotClient iot = client.get();
        String id = arn.substring(arn.lastIndexOf('/') + 1);
        java.util.List<String> failed = new java.util.ArrayList<>();
        attempt(failed, "UpdateCertificate INACTIVE", () -> iot.updateCertificate(u -> u.certificateId(id)
                .newStatus(software.amazon.awssdk.services.iot.model.CertificateStatus.INACTIVE)));
        if (policy) {
            attempt(failed, "DetachPolicy", () -> iot.detachPolicy(d -> d.policyName(policyName).target(arn)));
        }
        if (thingPrincipal) {
            attempt(failed, "DetachThingPrincipal", () -> iot.detachThingPrincipal(d -> d.thingName(thingName).principal(arn)));
        }
        attempt(failed, "DeleteCertificate", () -> iot.deleteCertificate(d -> d.certificateId(id).forceDelete(true)));
        if (!failed.isEmpty()) {
            LOG.error("provisioning of {} failed and certificate {} could not be fully revoked: {} failed", thingName, id, failed);
        }
    }

    private static void attempt(java.util.List<String> failed, String step, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            failed.add(step);
        }
    }
}
