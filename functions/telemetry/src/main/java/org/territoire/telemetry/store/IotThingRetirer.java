package org.territoire.telemetry.store;

import java.util.List;
import java.util.function.Supplier;
import org.territoire.shared.ddb.StorageException;
import org.territoire.telemetry.device.ThingRetirer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * AWS IoT's order for retiring a thing and its certificates, each step repeatable on a
 * redelivered erasure: per certificate attached to the thing, detach the devices' policy, detach
 * it from the thing, set it INACTIVE (which locks it out of IoT Core at once), delete it (IoT
 * refuses to delete an ACTIVE or still-attached certificate:
 * https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteCertificate.html); then delete
 * the thing (refused while a principal is attached:
 * https://docs.aws.amazon.com/iot/latest/apireference/API_DeleteThing.html). A thing already
 * gone is a finished retirement. Its role may do these on things and certificates only, and
 * detach only the devices' policy (template.yaml, TelemetryAccountEventsFunction).
 */
public final class IotThingRetirer implements ThingRetirer {
    private final Supplier<IotClient> iot;
    private final String policyName;

    public IotThingRetirer(IotClient iot, String policyName) {
        this(() -> iot, policyName);
    }

    /** With a client made on the first retirement ({@link org.territoire.shared.ddb.LazyClient}): most erasures retire no device. */
    public IotThingRetirer(Supplier<IotClient> iot, String policyName) {
        this.iot = iot;
        this.policyName = policyName;
    }

    @Override
    public void retire(String thingName) {
        try {
            List<String> principals;
            try {
                principals = iot.get().listThingPrincipalsPaginator(l -> l.thingName(thingName)).principals().stream().toList();
            } catch (ResourceNotFoundException gone) {
                return;
            }
            for (String arn : principals) {
                if (!arn.contains(":cert/")) {
                    continue;
                }
                String id = arn.substring(arn.lastIndexOf('/') + 1);
                ignoringMissing(() -> iot.get().detachPolicy(d -> d.policyName(policyName).target(arn)));
                ignoringMissing(() -> iot.get().detachThingPrincipal(d -> d.thingName(thingName).principal(arn)));
                ignoringMissing(() -> iot.get().updateCertificate(u -> u.certificateId(id).newStatus(CertificateStatus.INACTIVE)));
                ignoringMissing(() -> iot.get().deleteCertificate(d -> d.certificateId(id)));
            }
            ignoringMissing(() -> iot.get().deleteThing(d -> d.thingName(thingName)));
        } catch (SdkException e) {
            // Thrown, so the event is retried (then kept in the dead-letter queue): a live certificate must not be forgotten.
            throw StorageException.from(e);
        }
    }

    private static void ignoringMissing(Runnable call) {
        try {
            call.run();
        } catch (ResourceNotFoundException alreadyDone) {
            // A redelivery: this step was done by an earlier attempt.
        }
    }
}
