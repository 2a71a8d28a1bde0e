package org.territoire.bookings.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.memory.MemoryResources;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** Who adds and manages resources, and what a valid resource is; the store is memory. */
@Tag("unit")
class ResourceServiceTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private final MemoryResources store = new MemoryResources();
    private final AtomicInteger ids = new AtomicInteger();
    private final ResourceService service = new ResourceService(store, Clock.fixed(NOW, ZoneOffset.UTC), PARIS,
            () -> "res-" + ids.incrementAndGet());

    @Test
    void aProvider_addsAResource_forItsOwnOrganisation_withTheDefaults() {
        Resource r = service.create(provider("autopartage"), desk(null));

        assertThat(r.operatorOrganisation()).isEqualTo("autopartage");
        assertThat(r.lenderId()).isNull();
        assertThat(r.zone()).as("the territory's zone by default").isEqualTo(PARIS);
        assertThat(r.slot()).isEqualTo(Duration.ofMinutes(60));
        assertThat(r.minDuration()).isEqualTo(Duration.ofMinutes(60));
        assertThat(r.maxAdvance()).isEqualTo(Duration.ofDays(90));
        assertThat(r.eligibility().scope()).isEqualTo(Eligibility.Scope.EVERYONE);
        assertThat(r.createdAt()).isEqualTo(NOW);
        assertThat(r.version()).isEqualTo(1);
        assertThat(store.find(r.id())).contains(r);
        assertThatThrownBy(() -> service.create(provider("autopartage"), desk("other-org")))
                .as("a provider acts for its own organisation only").isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void aResident_lendsEquipment_inTheirOwnName_only() {
        Resource drill = service.create(resident("alice"), command(ResourceKind.LENT_EQUIPMENT, null, 1, 60));
        assertThat(drill.lenderId()).isEqualTo("alice");
        assertThat(drill.operatorOrganisation()).isNull();

        assertThatThrownBy(() -> service.create(resident("alice"), desk(null)))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> assertThat(e.detail()).contains("LENT_EQUIPMENT"));
        assertThatThrownBy(() -> service.create(resident("alice"), command(ResourceKind.LENT_EQUIPMENT, "autopartage", 1, 60)))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.create(Caller.fromClaims(Map.of("sub", "nobody")).orElseThrow(), desk(null)))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThat(store.stored).hasSize(1);
    }

    @Test
    void anInvalidResource_isRefused_namingEachField_andNothingIsStored() {
        assertInvalid(() -> service.create(provider("autopartage"), command(ResourceKind.COWORKING_DESK, null, 0, 7)),
                "capacity", "slotMinutes");
        assertInvalid(() -> service.create(provider("autopartage"), new CreateResourceCommand(ResourceKind.COWORKING_DESK, "Desk",
                null, null, "Centre Ville", null, 1, 60, Map.of("FUNDAY", List.of("08:00-12:00")), "Mars/Olympus", 90, null, null,
                null, null, null, null, null, null)), "district", "openingHours", "timeZone", "slotMinutes");
        assertInvalid(() -> service.create(provider("autopartage"), new CreateResourceCommand(ResourceKind.COWORKING_DESK, "Desk",
                null, null, "centre", null, 1, 5, null, null, null, 600, null, null, null, null, null, null, null)), "maxDurationMinutes");
        assertThat(store.stored).isEmpty();
    }

    @Test
    void onlyTheOperator_editsOrRetires_andAnEditKeepsTheKindTheOperatorAndTheSlots() {
        Resource r = service.create(provider("autopartage"), desk(null));

        assertThatThrownBy(() -> service.update(provider("other-org"), r.id(), patchName("Mine")))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.update(resident("alice"), r.id(), patchName("Mine")))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.retire(provider("other-org"), r.id())).isInstanceOf(DomainError.Forbidden.class);
        assertInvalid(() -> service.update(provider("autopartage"), r.id(), new CreateResourceCommand(ResourceKind.CAR_SHARING,
                null, null, "other-org", null, null, null, 30, null, null, null, null, null, null, null, null, null, null, null)),
                "kind", "organisationId", "slotMinutes");

        Resource renamed = service.update(agent(), r.id(), patchName("Bureaux partagés"));

        assertThat(renamed.name()).isEqualTo("Bureaux partagés");
        assertThat(renamed.capacity()).as("what the edit did not name stays").isEqualTo(r.capacity());
        assertThat(renamed.version()).isEqualTo(r.version() + 1);
        assertThat(store.find(r.id())).contains(renamed);
    }

    @Test
    void capacity_onlyGrows_aRuleNotAValidationError() {
        Resource r = service.create(provider("autopartage"), command(ResourceKind.COWORKING_DESK, null, 5, 60));

        assertThatThrownBy(() -> service.update(provider("autopartage"), r.id(), patchCapacity(4)))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThat(service.update(provider("autopartage"), r.id(), patchCapacity(6)).capacity()).isEqualTo(6);
    }

    @Test
    void anEditOfAVersionSinceChanged_isAConflict_andNothingIsLost() {
        Resource r = service.create(provider("autopartage"), desk(null));
        // Another edit lands between this edit's read and its write.
        ResourceRepository racing = new ResourceRepository() {
            @Override
            public boolean update(Resource resource, long expectedVersion) {
                store.update(renamedTo(store.find(resource.id()).orElseThrow(), "Winner"), expectedVersion);
                return store.update(resource, expectedVersion);
            }

            @Override
            public Optional<Resource> find(String id) {
                return store.find(id);
            }

            @Override
            public void create(Resource resource) {
                store.create(resource);
            }

            @Override
            public boolean retire(String id, Instant at) {
                return store.retire(id, at);
            }

            @Override
            public org.territoire.shared.page.Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> token) {
                return store.list(kind, limit, token);
            }
        };
        ResourceService loser = new ResourceService(racing, Clock.fixed(NOW, ZoneOffset.UTC), PARIS);

        assertThatThrownBy(() -> loser.update(provider("autopartage"), r.id(), patchCapacity(9)))
                .isInstanceOf(DomainError.Conflict.class);
        assertThat(store.find(r.id()).orElseThrow().name()).as("the winner's edit stays").isEqualTo("Winner");
        assertThat(store.find(r.id()).orElseThrow().capacity()).isEqualTo(r.capacity());
    }

    @Test
    void aRetiredResource_isNoLongerListed_norEdited_norRetiredAgain() {
        Resource r = service.create(provider("autopartage"), desk(null));
        service.create(provider("autopartage"), command(ResourceKind.SHARED_PARKING, null, 2, 60));

        service.retire(provider("autopartage"), r.id());

        assertThat(service.get(r.id()).retiredAt()).isEqualTo(NOW);
        assertThat(service.list(Optional.empty(), 20, Optional.empty()).items()).extracting(Resource::id).doesNotContain(r.id());
        assertThat(service.list(Optional.of(ResourceKind.SHARED_PARKING), 20, Optional.empty()).items()).hasSize(1);
        assertThatThrownBy(() -> service.update(provider("autopartage"), r.id(), patchName("Back")))
                .isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> service.retire(provider("autopartage"), r.id())).isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void anUnknownResource_isNotFound() {
        assertThatThrownBy(() -> service.get("nope")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.update(agent(), "nope", patchName("x"))).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.retire(agent(), "nope")).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void whoManages_agentsEverything_providersTheirOrganisations_residentsWhatTheyLend() {
        Resource desk = service.create(provider("autopartage"), desk(null));
        Resource drill = service.create(resident("alice"), command(ResourceKind.LENT_EQUIPMENT, null, 1, 60));

        assertThat(ResourceService.manages(agent(), desk)).isTrue();
        assertThat(ResourceService.manages(agent(), drill)).isTrue();
        assertThat(ResourceService.manages(provider("autopartage"), desk)).isTrue();
        assertThat(ResourceService.manages(provider("other-org"), desk)).isFalse();
        assertThat(ResourceService.manages(resident("alice"), drill)).isTrue();
        assertThat(ResourceService.manages(resident("bob"), drill)).isFalse();
        assertThat(ResourceService.manages(resident("alice"), desk)).isFalse();
    }

    private static CreateResourceCommand desk(String organisation) {
        return command(ResourceKind.COWORKING_DESK, organisation, 3, 60);
    }

    private static CreateResourceCommand command(ResourceKind kind, String organisation, int capacity, int slotMinutes) {
        return new CreateResourceCommand(kind, "Bureaux " + kind, null, organisation, "centre", null, capacity, slotMinutes,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    private static CreateResourceCommand patchName(String name) {
        return new CreateResourceCommand(null, name, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static CreateResourceCommand patchCapacity(int capacity) {
        return new CreateResourceCommand(null, null, null, null, null, null, capacity, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static Resource renamedTo(Resource r, String name) {
        return new Resource(r.id(), r.kind(), name, r.description(), r.operatorOrganisation(), r.lenderId(), r.district(),
                r.latitude(), r.longitude(), r.capacity(), r.slot(), r.openingHours(), r.zone(), r.minDuration(), r.maxDuration(),
                r.minNotice(), r.maxAdvance(), r.buffer(), r.eligibility(), r.requiresApproval(), r.linkedDeviceId(), r.createdAt(),
                r.createdBy(), r.retiredAt(), r.version() + 1, null);
    }

    private static void assertInvalid(ThrowingCallable call, String... fields) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).contains(fields));
    }

    static Caller resident(String id) {
        return Caller.fromClaims(Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", "centre")).orElseThrow();
    }

    static Caller provider(String organisation) {
        return Caller.fromClaims(Map.of("sub", "p-" + organisation, "cognito:groups", "[provider]",
                "custom:organisation", organisation)).orElseThrow();
    }

    static Caller agent() {
        return Caller.fromClaims(Map.of("sub", "agent-1", "cognito:groups", "[agent]")).orElseThrow();
    }
}
