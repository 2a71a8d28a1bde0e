package org.territoire.telemetry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.territoire.telemetry.device.Device;
import org.territoire.telemetry.device.DeviceKind;
import org.territoire.telemetry.fakes.FailingIot;

/** A provisioning that fails after its certificate was issued leaves no live certificate behind. */
@Tag("unit")
class IotThingProvisionerTest {
    private final Device device = new Device("noise-1", DeviceKind.NOISE, "centre", null, null, null, null, null,
            Instant.parse("2026-11-25T12:00:00Z"), "agent");

    @ParameterizedTest
    @ValueSource(strings = {"AttachThingPrincipal", "AttachPolicy"})
    void aFailureAfterTheCertificate_deactivatesDetachesAndDeletesIt(String failing) {
        FailingIot iot = new FailingIot(failing);

        assertThatThrownBy(() -> new IotThingProvisioner(iot, "DevicePolicy").provision(device, Optional.empty()))
                .isInstanceOf(RuntimeException.class);

        assertThat(iot.certificates).as("no certificate left, active or not").isEmpty();
        assertThat(iot.attachedToThing).isEmpty();
        assertThat(iot.attachedToPolicy).isEmpty();
        assertThat(iot.calls).containsSubsequence("UpdateCertificate", "DeleteCertificate");
    }

    @Test
    void whenTheDeletionFailsToo_theCertificateIsAtLeastInactive() {
        FailingIot iot = new FailingIot("AttachPolicy") {
            @Override
            public software.amazon.awssdk.services.iot.model.DeleteCertificateResponse deleteCertificate(
                    software.amazon.awssdk.services.iot.model.DeleteCertificateRequest r) {
                throw software.amazon.awssdk.services.iot.model.IotException.builder().message("throttled").statusCode(429).build();
            }
        };

        assertThatThrownBy(() -> new IotThingProvisioner(iot, "DevicePolicy").provision(device, Optional.empty()))
                .isInstanceOf(RuntimeException.class);

        assertThat(iot.certificates).containsEntry("abc123", "INACTIVE");
    }

    @Test
    void aSuccessfulProvisioning_revokesNothing() {
        FailingIot iot = new FailingIot(null);

        var provisioned = new IotThingProvisioner(iot, "DevicePolicy").provision(device, Optional.empty());

        assertThat(provisioned.privateKey()).contains("KEY");
        assertThat(iot.certificates).containsEntry("abc123", "ACTIVE");
        assertThat(iot.calls).doesNotContain("UpdateCertificate", "DeleteCertificate");
    }
}
