package org.territoire.telemetry.fakes;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AttachPolicyRequest;
import software.amazon.awssdk.services.iot.model.AttachPolicyResponse;
import software.amazon.awssdk.services.iot.model.AttachThingPrincipalRequest;
import software.amazon.awssdk.services.iot.model.AttachThingPrincipalResponse;
import software.amazon.awssdk.services.iot.model.CreateCertificateFromCsrRequest;
import software.amazon.awssdk.services.iot.model.CreateCertificateFromCsrResponse;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateRequest;
import software.amazon.awssdk.services.iot.model.CreateKeysAndCertificateResponse;
import software.amazon.awssdk.services.iot.model.CreateThingRequest;
import software.amazon.awssdk.services.iot.model.CreateThingResponse;
import software.amazon.awssdk.services.iot.model.DeleteCertificateRequest;
import software.amazon.awssdk.services.iot.model.DeleteCertificateResponse;
import software.amazon.awssdk.services.iot.model.DetachPolicyRequest;
import software.amazon.awssdk.services.iot.model.DetachPolicyResponse;
import software.amazon.awssdk.services.iot.model.DetachThingPrincipalRequest;
import software.amazon.awssdk.services.iot.model.DetachThingPrincipalResponse;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.KeyPair;
import software.amazon.awssdk.services.iot.model.UpdateCertificateRequest;
import software.amazon.awssdk.services.iot.model.UpdateCertificateResponse;

/**
 * An IoT port in memory that fails at a chosen step: it keeps the certificates it issued with
 * their status and attachments, so that a test sees what a failed provisioning left behind.
 */
public class FailingIot implements IotClient {
    public static final String ARN = "arn:aws:iot:eu-west-3:123456789012:cert/abc123";

    public final List<String> calls = new ArrayList<>();
    /** Certificate id to status (ACTIVE, INACTIVE); removed when deleted. */
    public final java.util.Map<String, String> certificates = new java.util.LinkedHashMap<>();
    public final java.util.Set<String> attachedToThing = new java.util.HashSet<>();
    public final java.util.Set<String> attachedToPolicy = new java.util.HashSet<>();
    private final String failAt;

    /** {@code failAt}: the call that fails (e.g. "AttachPolicy"), or null for none. */
    public FailingIot(String failAt) {
        this.failAt = failAt;
    }

    private void step(String name) {
        calls.add(name);
        if (name.equals(failAt)) {
            throw IotException.builder().message(name + " failed").statusCode(503).build();
        }
    }

    @Override
    public CreateThingResponse createThing(CreateThingRequest r) {
        step("CreateThing");
        return CreateThingResponse.builder().thingName(r.thingName()).build();
    }

    @Override
    public CreateCertificateFromCsrResponse createCertificateFromCsr(CreateCertificateFromCsrRequest r) {
        step("CreateCertificateFromCsr");
        certificates.put("abc123", Boolean.TRUE.equals(r.setAsActive()) ? "ACTIVE" : "INACTIVE");
        return CreateCertificateFromCsrResponse.builder().certificateArn(ARN).certificateId("abc123").certificatePem("PEM").build();
    }

    @Override
    public CreateKeysAndCertificateResponse createKeysAndCertificate(CreateKeysAndCertificateRequest r) {
        step("CreateKeysAndCertificate");
        certificates.put("abc123", Boolean.TRUE.equals(r.setAsActive()) ? "ACTIVE" : "INACTIVE");
        return CreateKeysAndCertificateResponse.builder().certificateArn(ARN).certificateId("abc123").certificatePem("PEM")
                .keyPair(KeyPair.builder().privateKey("KEY").publicKey("PUB").build()).build();
    }

    @Override
    public AttachThingPrincipalResponse attachThingPrincipal(AttachThingPrincipalRequest r) {
        step("AttachThingPrincipal");
        attachedToThing.add(r.principal());
        return AttachThingPrincipalResponse.builder().build();
    }

    @Override
    public AttachPolicyResponse attachPolicy(AttachPolicyRequest r) {
        step("AttachPolicy");
        attachedToPolicy.add(r.target());
        return AttachPolicyResponse.builder().build();
    }

    @Override
    public UpdateCertificateResponse updateCertificate(UpdateCertificateRequest r) {
        step("UpdateCertificate");
        certificates.computeIfPresent(r.certificateId(), (id, s) -> r.newStatusAsString());
        return UpdateCertificateResponse.builder().build();
    }

    @Override
    public DetachPolicyResponse detachPolicy(DetachPolicyRequest r) {
        step("DetachPolicy");
        attachedToPolicy.remove(r.target());
        return DetachPolicyResponse.builder().build();
    }

    @Override
    public DetachThingPrincipalResponse detachThingPrincipal(DetachThingPrincipalRequest r) {
        step("DetachThingPrincipal");
        attachedToThing.remove(r.principal());
        return DetachThingPrincipalResponse.builder().build();
    }

    @Override
    public DeleteCertificateResponse deleteCertificate(DeleteCertificateRequest r) {
        step("DeleteCertificate");
        if (!"INACTIVE".equals(certificates.get(r.certificateId())) || attachedToThing.contains(ARN)) {
            // As AWS: only an inactive certificate detached from its things may be deleted.
            throw IotException.builder().message("certificate is active or attached").statusCode(409).build();
        }
        certificates.remove(r.certificateId());
        return DeleteCertificateResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "iot";
    }

    @Override
    public void close() {
    }
}
