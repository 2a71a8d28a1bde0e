package org.territoire.feedback.catalogue;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.page.Page;

@org.junit.jupiter.api.Tag("unit")
class CatalogueServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final List<TerritoryService> stored = new ArrayList<>();
    private final ServiceRepository repository = new ServiceRepository() {
        @Override
        public void create(TerritoryService service) {
            stored.add(service);
        }

        @Override
        public Optional<TerritoryService> find(String id) {
            return stored.stream().filter(s -> s.id().equals(id)).findFirst();
        }

        @Override
        public boolean replace(TerritoryService service) {
            boolean present = stored.removeIf(s -> s.id().equals(service.id()) && !s.retired());
            if (present) {
                stored.add(service);
            }
            return present;
        }

        @Override
        public Page<TerritoryService> list(Optional<ServiceKind> kind, int limit, Optional<String> pageToken) {
            return new Page<>(stored, null);
        }
    };
    private final CatalogueService catalogue = new CatalogueService(repository, Clock.fixed(NOW, ZoneOffset.UTC), () -> "svc-1");

    @Test
    void agent_addsAServiceForTheOrganisationItNames() {
        TerritoryService service = catalogue.create(agent(), command("mairie"));

        assertThat(service.organisationId()).isEqualTo("mairie");
        assertThat(service.createdBy()).isEqualTo("agent-1");
        assertThat(service.createdAt()).isEqualTo(NOW);
        assertThat(service.districts()).containsExactly("centre", "gare");
        assertThat(stored).containsExactly(service);
    }

    @Test
    void agent_mustNameTheOperatingOrganisation() {
        assertBadRequest(() -> catalogue.create(agent(), command(null)), "organisationId");
    }

    @Test
    void provider_addsServicesOfItsOwnOrganisation_fromItsToken() {
        TerritoryService service = catalogue.create(provider("asso-velo"), command(null));

        assertThat(service.organisationId()).isEqualTo("asso-velo");
    }

    @Test
    void provider_cannotAddAServiceForAnotherOrganisation() {
        assertForbidden(() -> catalogue.create(provider("asso-velo"), command("mairie")));
        assertThat(stored).isEmpty();
    }

    @Test
    void residents_cannotAddServices() {
        assertForbidden(() -> catalogue.create(caller("r-1", "resident", Map.of()), command(null)));
    }

    @Test
    void validation_reportsEveryInvalidField_atOnce() {
        CreateServiceCommand bad = new CreateServiceCommand(" ", "x".repeat(2001), ServiceKind.PUBLIC, "culture",
                "mairie", List.of("Centre Ville"), new Location(91.0, -181.0), null);

        assertThatThrownBy(() -> catalogue.create(agent(), bad)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder(
                        "name", "description", "category", "districts.0", "location.latitude", "location.longitude"));
        assertThat(stored).isEmpty();
    }

    @Test
    void validation_requiresKindCategoryAndDistricts() {
        CreateServiceCommand empty = new CreateServiceCommand("Crèche", null, null, null, "mairie", List.of(), null, null);

        assertThatThrownBy(() -> catalogue.create(agent(), empty)).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder("kind", "category", "districts"));
    }

    @Test
    void everyKind_hasTheCategoriesOfTheMission() {
        assertThat(ServiceKind.PUBLIC.categories()).contains("e-administration", "e-health", "home-care");
        assertThat(ServiceKind.TERRITORIAL.categories()).contains("schools", "early-childhood", "waste-management", "tourism", "culture");
        assertThat(ServiceKind.PRIVATE.categories()).contains("social-housing", "heat-network", "village-solar-plant", "telecom");
        assertThat(ServiceKind.PEER.categories()).contains("knowledge-exchange", "shared-workshop", "ressourcerie", "concierge");
        assertThat(ServiceKind.PROFESSIONAL.categories()).contains("craftsman", "shop");
        assertThat(ServiceKind.BUSINESS.categories()).contains("shared-business-service", "coworking");
    }

    @Test
    void get_unknownService_is404() {
        assertThatThrownBy(() -> catalogue.get("nope"))
                .isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void aProvider_editsAndRetiresItsOwnOrganisationsServices_only() {
        catalogue.create(agent(), command("transports"));
        CreateServiceCommand edit = new CreateServiceCommand("Navette du samedi", null, ServiceKind.TERRITORIAL, "culture", null,
                List.of("gare"), null, false);

        assertThatThrownBy(() -> catalogue.update(provider("mairie"), "svc-1", edit))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThat(catalogue.update(provider("transports"), "svc-1", edit).name()).isEqualTo("Navette du samedi");
        assertThatThrownBy(() -> catalogue.update(agent(), "svc-1", new CreateServiceCommand("Navette", null, ServiceKind.PUBLIC,
                "e-health", null, List.of("gare"), null, false)))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("kind"));

        assertThat(catalogue.retire(provider("transports"), "svc-1").retiredAt()).isEqualTo(NOW);
        assertThatThrownBy(() -> catalogue.update(agent(), "svc-1", edit))
                .isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> catalogue.active("svc-1"))
                .isInstanceOf(DomainError.Conflict.class);
    }

    private static CreateServiceCommand command(String organisation) {
        return new CreateServiceCommand("Médiathèque", "Prêt de livres", ServiceKind.TERRITORIAL, "culture", organisation,
                List.of("centre", "gare", "centre"), new Location(45.76, 4.83), true);
    }

    private static Caller agent() {
        return caller("agent-1", "agent", Map.of("custom:organisation", "mairie"));
    }

    private static Caller provider(String organisation) {
        return caller("p-1", "provider", Map.of("custom:organisation", organisation));
    }

    private static Caller caller(String sub, String group, Map<String, String> claims) {
        var all = new java.util.HashMap<>(claims);
        all.put("sub", sub);
        all.put("cognito:groups", "[" + group + "]");
        return Caller.fromClaims(all).orElseThrow();
    }

    private static void assertForbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(DomainError.Forbidden.class);
    }

    private static void assertBadRequest(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
            assertThat(e.errors()).extracting(f -> f.field()).contains(field);
        });
    }
}
