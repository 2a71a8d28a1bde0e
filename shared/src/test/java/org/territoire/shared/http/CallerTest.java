package org.territoire.shared.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.ApiException;

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
    void requireAny_forbidsOtherRoles() {
        Caller resident = Caller.fromClaims(Map.of("sub", "u", "cognito:groups", "[resident]")).orElseThrow();

        assertThatThrownBy(() -> resident.requireAny(Role.AGENT, Role.ADMIN))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }
}
