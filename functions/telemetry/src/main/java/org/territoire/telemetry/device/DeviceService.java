package org.territoire.telemetry.device;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.validation.Validation;

/**
 * Agents register devices; each becomes an IoT thing with its own certificate. Who may read a
 * device's data: its owner only for a personal device (home devices with an owner, health
 * devices), anyone signed in for the territory's own (air quality, noise, parking).
 */
public final class DeviceService {
    /** A device's id; {@code snapstart-priming…} is reserved for SnapStart priming's absent device (EventPriming.ABSENT). */
    private static final String ID = "(?!snapstart-priming)[a-z0-9][a-z0-9-]{2,63}";

    /** The body of {@code POST /devices}. */
    public record NewDevice(String id, DeviceKind kind, String district, Double latitude, Double longitude, String ownerId,
                            String resourceId, String name, String csr) {
    }

    /**
     * A registered device and its certificate. {@code privateKey} is there only when AWS made
     * the key pair (no CSR was given), in this answer only: a field of its own, so that whatever
     * keeps answers (the idempotency store) can leave it out.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Registered(Device device, ThingProvisioner.Credentials credentials, String privateKey) {
    }

    /**
     * A device in the agents' list of the territory's devices: what it is, where, since when,
     * and whether it reports; never its readings, its name or its owner (only whether a
     * household has it). {@code status}: ONLINE (heard from, not marked offline by the sweep),
     * OFFLINE (marked), NEVER_HEARD.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Listed(String id, DeviceKind kind, String district, java.time.Instant registeredAt, boolean household,
                         java.time.Instant lastHeardAt, String status) {
    }

    private final DeviceRepository devices;
    private final ThingProvisioner things;
    private final Clock clock;

    public DeviceService(DeviceRepository devices, ThingProvisioner things, Clock clock) {
        this.devices = devices;
        this.things = things;
        this.clock = clock;
    }

    public Registered register(Caller caller, NewDevice d) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        java.util.Optional<CertificateRequest> csr = java.util.Optional.empty();
        String csrProblem = null;
        if (d.csr() != null) {
            try {
                csr = java.util.Optional.of(CertificateRequest.parse(d.csr()));
            } catch (CertificateRequest.Invalid e) {
                csrProblem = e.getMessage();
            }
        }
        new Validation().require("kind", d.kind()).matches("id", d.id(), ID, "must be 3 to 64 lower-case letters, digits and dashes")
                .require("district", d.district()).matches("district", d.district(), "[a-z0-9][a-z0-9-]{0,63}", "must be a district id")
                .range("latitude", d.latitude(), -90, 90).range("longitude", d.longitude(), -180, 180)
                .check((d.latitude() == null) == (d.longitude() == null), "longitude", "latitude and longitude go together")
                .text("ownerId", d.ownerId(), 1, 128, false).text("resourceId", d.resourceId(), 1, 128, false).text("name", d.name(), 1, 120, false)
                .check(d.kind() == null || d.kind().household() || d.ownerId() == null, "ownerId", "only home devices have an owner")
                .check(d.kind() != DeviceKind.HEALTH_DEVICE || d.ownerId() != null, "ownerId", "a health device belongs to its owner")
                .check(csrProblem == null, "csr", csrProblem)
                .throwIfInvalid();
        Device device = new Device(d.id() == null ? UUID.randomUUID().toString() : d.id(), d.kind(), d.district(), d.latitude(), d.longitude(),
                d.ownerId(), d.resourceId(), d.name(), clock.instant(), caller.id());
        if (!devices.create(device)) {
            throw DomainError.conflict("a device with this id is already registered");
        }
        try {
            ThingProvisioner.Provisioned provisioned = things.provision(device, csr);
            return new Registered(device, provisioned.credentials(), provisioned.privateKey().orElse(null));
        } catch (RuntimeException e) {
            // No half-registered device: without its thing and certificate it could never report.
            devices.delete(device.id());
            throw e;
        }
    }

    /** The device, if this caller may read its data: personal devices only for their owner (agents included). */
    public Device readable(Caller caller, String id) {
        Device device = devices.find(id).orElseThrow(() -> DomainError.notFound("no such device"));
        if (device.personal() && !caller.id().equals(device.ownerId())) {
            throw DomainError.notFound("no such device");
        }
        return device;
    }

    /** {@code GET /devices}: a page of the territory's devices, of a district and/or a kind, for agents. */
    public org.territoire.shared.page.Page<Listed> territory(Caller caller, java.util.Optional<String> district,
                                                             java.util.Optional<DeviceKind> kind, int limit, java.util.Optional<String> token) {
        caller.requireAny(Role.AGENT, Role.ADMIN);
        new Validation().matches("district", district.orElse(null), "[a-z0-9][a-z0-9-]{0,63}", "must be a district id").throwIfInvalid();
        org.territoire.shared.page.Page<Device> page = devices.territory(district, kind, limit, token);
        // A personal device's last-heard time is its owner's alone (when a home meter or a health device speaks says when
        // someone is home), as its own route answers agents 404: it is not read, and its status says only that.
        java.util.Map<String, DeviceRepository.LastHeard> heard = devices.lastHeard(
                page.items().stream().filter(d -> !d.personal()).map(Device::id).toList());
        return page.map(d -> {
            if (d.personal()) {
                return new Listed(d.id(), d.kind(), d.district(), d.createdAt(), d.ownerId() != null, null, "PRIVATE");
            }
            DeviceRepository.LastHeard h = heard.get(d.id());
            return new Listed(d.id(), d.kind(), d.district(), d.createdAt(), d.ownerId() != null, h == null ? null : h.at(),
                    h == null ? "NEVER_HEARD" : h.offline() ? "OFFLINE" : "ONLINE");
        });
    }

    public List<Device> mine(Caller caller) {
        return devices.ofOwner(caller.id());
    }
}
