package org.territoire.telemetry.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.telemetry.fakes.InMemoryDevices;

/** Registration and read access, on an in-memory repository and provisioner. */
@Tag("unit")
class DeviceServiceTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryDevices devices = new InMemoryDevices();
    private final ThingProvisioner things = (device, csr) -> new ThingProvisioner.Provisioned(
            new ThingProvisioner.Credentials(device.id(), "arn:cert/" + device.id(), "PEM"), Optional.of("KEY"));
    private final DeviceService service = new DeviceService(devices, things, clock);
    private final Caller agent = caller("agent-1", Role.AGENT);
    private final Caller resident = caller("resident-1", Role.RESIDENT);

    private static Caller caller(String id, Role role) {
        return new Caller(id, Set.of(role), Optional.empty(), Optional.empty());
    }

    private static DeviceService.NewDevice noise(String id) {
        return new DeviceService.NewDevice(id, DeviceKind.NOISE, "centre", 45.7, 4.8, null, null, null, null);
    }

    @Test
    void anAgentRegisters_aDeviceWithItsCredentials() {
        var registered = service.register(agent, noise("noise-1"));

        assertThat(registered.device().createdAt()).isEqualTo(clock.instant());
        assertThat(registered.device().createdBy()).isEqualTo("agent-1");
        assertThat(registered.privateKey()).isEqualTo("KEY");
        assertThat(devices.find("noise-1")).isPresent();
    }

    @Test
    void aResident_mayNotRegister() {
        assertThatThrownBy(() -> service.register(resident, noise("noise-1"))).isInstanceOf(DomainError.Forbidden.class);
        assertThat(devices.devices).isEmpty();
    }

    @Test
    void badFields_areInvalid_namingEachField_andNothingIsStored() {
        var bad = new DeviceService.NewDevice("X", DeviceKind.HEALTH_DEVICE, "centre", 95.0, null, null, null, null, "not a csr");

        assertThatThrownBy(() -> service.register(agent, bad)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(org.territoire.shared.error.FieldError::field).contains("id", "latitude", "longitude", "ownerId", "csr"));
        assertThat(devices.devices).isEmpty();
    }

    @Test
    void aTakenId_isAConflict() {
        service.register(agent, noise("noise-1"));

        assertThatThrownBy(() -> service.register(agent, noise("noise-1"))).isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void aDeviceWhoseThingCannotBeProvisioned_isNotLeftRegistered() {
        var failing = new DeviceService(devices, (device, csr) -> {
            throw DomainError.unavailable("IoT is down");
        }, clock);

        assertThatThrownBy(() -> failing.register(agent, noise("noise-1"))).isInstanceOf(DomainError.Unavailable.class);
        assertThat(devices.find("noise-1")).isEmpty();
    }

    @Test
    void aPersonalDevice_isReadableByItsOwnerOnly_asIfItDidNotExist() {
        service.register(agent, new DeviceService.NewDevice("meter-1", DeviceKind.ELECTRICITY_METER, "centre", null, null, "resident-1",
                null, null, null));

        assertThat(service.readable(resident, "meter-1").id()).isEqualTo("meter-1");
        assertThat(service.mine(resident)).extracting(Device::id).containsExactly("meter-1");
        assertThatThrownBy(() -> service.readable(agent, "meter-1")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.readable(resident, "ghost")).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void theTerritorysDevices_areReadableByAnyoneSignedIn() {
        service.register(agent, noise("noise-1"));

        assertThat(service.readable(resident, "noise-1").kind()).isEqualTo(DeviceKind.NOISE);
    }

    @Test
    void theTerritorysList_saysWhetherEachDeviceReports_andWhetherAHouseholdHasIt_never_whose() {
        service.register(agent, noise("noise-1"));
        service.register(agent, noise("noise-2"));
        service.register(agent, noise("noise-3"));
        service.register(agent, new DeviceService.NewDevice("meter-1", DeviceKind.ELECTRICITY_METER, "centre", null, null, "resident-1", null, "Chez Mme X", null));
        devices.heard.put("noise-1", new DeviceRepository.LastHeard(Instant.parse("2026-11-25T11:59:00Z"), false));
        devices.heard.put("noise-2", new DeviceRepository.LastHeard(Instant.parse("2026-11-24T08:00:00Z"), true));
        // A household's meter speaks too, but when it does is its owner's alone (its own route answers agents 404).
        devices.heard.put("meter-1", new DeviceRepository.LastHeard(Instant.parse("2026-11-25T11:58:00Z"), false));

        var page = service.territory(agent, Optional.of("centre"), Optional.empty(), 10, Optional.empty());

        assertThat(page.items()).extracting(DeviceService.Listed::id, DeviceService.Listed::status, DeviceService.Listed::household).containsExactly(
                org.assertj.core.groups.Tuple.tuple("meter-1", "PRIVATE", true), org.assertj.core.groups.Tuple.tuple("noise-1", "ONLINE", false),
                org.assertj.core.groups.Tuple.tuple("noise-2", "OFFLINE", false), org.assertj.core.groups.Tuple.tuple("noise-3", "NEVER_HEARD", false));
        assertThat(page.items().get(1).lastHeardAt()).isEqualTo(Instant.parse("2026-11-25T11:59:00Z"));
        assertThat(page.items().get(0).lastHeardAt()).isNull();
        assertThatThrownBy(() -> service.territory(resident, Optional.empty(), Optional.empty(), 10, Optional.empty()))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.territory(agent, Optional.of("Centre#NOISE"), Optional.empty(), 10, Optional.empty()))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(org.territoire.shared.error.FieldError::field)
                        .containsExactly("district"));
    }
}
