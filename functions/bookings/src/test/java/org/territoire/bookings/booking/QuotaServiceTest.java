package org.territoire.bookings.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.memory.MemoryQuotaRules;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** Reading and setting a kind's limits; the store is memory. */
@Tag("unit")
class QuotaServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final MemoryQuotaRules rules = new MemoryQuotaRules();
    private final QuotaService service = new QuotaService(rules, clock);

    @Test
    void aKindWithNoRule_hasNoLimits_andTheKindIsReadInAnyCase() {
        assertThat(service.get("car_sharing")).isEqualTo(QuotaRule.none(ResourceKind.CAR_SHARING));
    }

    @Test
    void anAgent_setsTheLimits_inHoursStoredAsMinutes_andTheWeeklyLimitRemembersSinceWhenItApplies() {
        QuotaRule set = service.set(agent(), "SHARED_WORKSHOP", 2, 3);

        assertThat(set).isEqualTo(new QuotaRule(ResourceKind.SHARED_WORKSHOP, 2, 180, NOW));
        clock.advance(Duration.ofDays(1));
        assertThat(service.set(agent(), "SHARED_WORKSHOP", null, 4).weeklySince())
                .as("a weekly limit that already applied keeps its start").isEqualTo(NOW);
        assertThat(service.get("SHARED_WORKSHOP")).isEqualTo(new QuotaRule(ResourceKind.SHARED_WORKSHOP, null, 240, NOW));
        assertThat(service.set(agent(), "SHARED_WORKSHOP", 1, null)).isEqualTo(new QuotaRule(ResourceKind.SHARED_WORKSHOP, 1, null, null));
    }

    @Test
    void onlyAgentsAndAdmins_setLimits() {
        Caller resident = Caller.fromClaims(Map.of("sub", "alice", "cognito:groups", "[resident]", "custom:district", "centre"))
                .orElseThrow();
        Caller provider = Caller.fromClaims(Map.of("sub", "p-1", "cognito:groups", "[provider]", "custom:organisation", "mairie"))
                .orElseThrow();

        assertThatThrownBy(() -> service.set(resident, "CAR_SHARING", 1, null)).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> service.set(provider, "CAR_SHARING", 1, null)).isInstanceOf(DomainError.Forbidden.class);
        assertThat(rules.stored).isEmpty();
    }

    @Test
    void limitsOutOfRange_andAnUnknownKind_areInvalid_namingTheField() {
        assertInvalid(() -> service.set(agent(), "CAR_SHARING", 0, 169), "maxActive", "maxHoursPerWeek");
        assertInvalid(() -> service.set(agent(), "BICYCLES", 1, null), "kind");
        assertInvalid(() -> service.get("BICYCLES"), "kind");
        assertThat(rules.stored).isEmpty();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... fields) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).extracting(f -> f.field()).containsExactlyInAnyOrder(fields));
    }

    private static Caller agent() {
        return Caller.fromClaims(Map.of("sub", "agent-1", "cognito:groups", "[agent]")).orElseThrow();
    }
}
