package org.territoire.shared.identity;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CallerTest {

    @Test
    void fromClaims_readsGroupsAsApiGatewayFlattensThem() {
        Caller caller = Caller.fromClaims(Map.of("sub", "u-1", "cognito:groups", "[resident agent]",
                "custom:district", "centre", "custom:organisation", "mairie")).orElseThrow();

        assertThat(caller.id()).isEqualTo("u-1");
        assertThat(caller.roles()).containsExactlyInAnyOrder(Role.RESIDENT, Role.AGENT);
        assertThat(caller.district()).contains("centre");
        assertThat(caller.memberOf("mairie")).isTrue();
        assertThat(caller.memberOf("other")).isFalse();
    }

    @Test
    void fromClaims_acceptsJsonArraysAndCommas_andIgnoresUnknownGroups() {
        assertThat(Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "[\"provider\",\"wizard\"]")).orElseThrow().roles())
                .containsExactly(Role.PROVIDER);
        assertThat(Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "admin,resident")).orElseThrow().roles())
                .containsExactlyInAnyOrder(Role.ADMIN, Role.RESIDENT);
    }

    @Test
    void fromClaims_isEmpty_withoutSubject() {
        assertThat(Caller.fromClaims(Map.of("cognito:groups", "[agent]"))).isEmpty();
    }

    @Test
    void organisationToActFor_agentsNameIt_providersActForTheirOwnOnly() {
        Caller agent = Caller.fromClaims(Map.of("sub", "a", "cognito:groups", "[agent]")).orElseThrow();
        Caller provider = Caller.fromClaims(Map.of("sub", "p", "cognito:groups", "[provider]", "custom:organisation", "asso")).orElseThrow();
        Caller resident = Caller.fromClaims(Map.of("sub", "r", "cognito:groups", "[resident]")).orElseThrow();

        assertThat(agent.organisationToActFor("mairie")).isEqualTo("mairie");
        assertThat(provider.organisationToActFor(null)).isEqualTo("asso");
        assertThat(provider.organisationToActFor("asso")).isEqualTo("asso");
        assertThatThrownBy(() -> agent.organisationToActFor(null))
                .isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> agent.organisationToActFor("Not An Id"))
                .isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> provider.organisationToActFor("mairie"))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> resident.organisationToActFor(null))
                .isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void requireAny_forbidsOtherRoles() {
        Caller resident = Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "[resident]")).orElseThrow();

        assertThatThrownBy(() -> resident.requireAny(Role.AGENT, Role.ADMIN))
                .isInstanceOf(DomainError.Forbidden.class);
    }
}
