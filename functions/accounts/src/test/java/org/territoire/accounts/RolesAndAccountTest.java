package org.territoire.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.accounts.account.AccountEvents;
import org.territoire.accounts.account.AccountService;
import org.territoire.accounts.account.Directory;
import org.territoire.accounts.memory.InMemoryAccounts;
import org.territoire.accounts.memory.InMemoryCensusStore;
import org.territoire.accounts.memory.InMemoryDirectory;
import org.territoire.accounts.memory.InMemoryVerificationStore;
import org.territoire.accounts.roles.RoleService;
import org.territoire.accounts.verification.Census;
import org.territoire.accounts.verification.Method;
import org.territoire.accounts.verification.PostalCodes;
import org.territoire.accounts.verification.VerificationPolicy;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.json.Json;

/** Who grants which role, and the person's deletion and export, on in-memory ports. */
@Tag("unit")
class RolesAndAccountTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    final InMemoryDirectory directory = new InMemoryDirectory().with("ana", "ana@example.org").with("ben", "ben@example.org");
    final org.territoire.accounts.memory.InMemoryRoleLedger ledger = new org.territoire.accounts.memory.InMemoryRoleLedger();
    final RoleService roles = new RoleService(directory, ledger, clock);
    final Caller admin = new Caller("root", Set.of(Role.ADMIN), Optional.empty(), Optional.empty());
    final Caller agent = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.empty());
    final Caller ana = new Caller("ana", Set.of(Role.RESIDENT), Optional.of("centre"), Optional.empty());

    @Test
    void adminsMakeAgents_agentsMakeProvidersForAnOrganisation_andRevokeThem() {
        var change = roles.grantAgent(admin, "ben");
        assertThat(change.takesEffect()).contains("next token refresh");
        assertThat(directory.groups.get("ben")).containsExactly(Role.AGENT);

        roles.grantProvider(agent, "ana", new RoleService.ProviderGrant("asso-velo"));
        assertThat(directory.groups.get("ana")).containsExactly(Role.PROVIDER);
        assertThat(directory.attributes.get("ana")).containsEntry(Directory.ORGANISATION, "asso-velo");

        roles.revokeProvider(agent, "ana");
        assertThat(directory.groups.get("ana")).isEmpty();
        // The attribute stays: without the group it grants nothing.
        assertThat(directory.attributes.get("ana")).containsEntry(Directory.ORGANISATION, "asso-velo");

        // Every change is recorded: who, to whom, which role, when; agents and admins read it.
        assertThat(roles.history(agent, "ana")).extracting(e -> e.role() + ":" + e.granted() + ":" + e.by() + ":" + e.organisationId().orElse("-"))
                .containsExactlyInAnyOrder("provider:true:agent-1:asso-velo", "provider:false:agent-1:-");
        assertThat(roles.history(admin, "ben")).singleElement().satisfies(e -> {
            assertThat(e.role()).isEqualTo("agent");
            assertThat(e.by()).isEqualTo("root");
            assertThat(e.at()).isEqualTo(clock.instant());
        });
        assertThatThrownBy(() -> roles.history(ana, "ben")).isInstanceOf(DomainError.Forbidden.class);
        assertThat(roles.ownHistory(new Caller("ben", Set.of(), Optional.empty(), Optional.empty()))).hasSize(1);
    }

    @Test
    void aRefusedChange_recordsNothing() {
        assertThatThrownBy(() -> roles.grantAgent(agent, "ben")).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> roles.grantAgent(admin, "root")).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> roles.grantAgent(admin, "nobody")).isInstanceOf(DomainError.NotFound.class);
        assertThat(ledger.entries).isEmpty();
    }

    @Test
    void nobodyGrantsThemselves_agentsMakeNoAgents_andAnUnknownAccountIsNotFound() {
        directory.with("agent-1", "a@example.org");
        assertThatThrownBy(() -> roles.grantProvider(agent, "agent-1", new RoleService.ProviderGrant("mairie")))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> roles.grantAgent(agent, "ben")).isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> roles.grantAgent(admin, "nobody")).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> roles.grantProvider(agent, "ben", new RoleService.ProviderGrant("Not An Org")))
                .isInstanceOf(DomainError.Invalid.class);
        assertThat(directory.groups.get("ben")).isEmpty();
    }

    AccountService accounts(InMemoryAccounts memory, InMemoryVerificationStore store, InMemoryCensusStore census) {
        var verification = new VerificationService(store, census, new Census(new byte[32]), new PostalCodes(new byte[32]), directory,
                VerificationPolicy.DEFAULT, clock);
        return new AccountService(directory, memory, store, census, memory, memory, verification, clock);
    }

    @Test
    void deletion_erasesTheUserAndWhatThisCapabilityHolds_andARetryPublishesTheSameEvent() {
        var memory = new InMemoryAccounts();
        var store = new InMemoryVerificationStore();
        var census = new InMemoryCensusStore();
        var service = accounts(memory, store, census);
        new VerificationService(store, census, new Census(new byte[32]), new PostalCodes(new byte[32]), directory,
                VerificationPolicy.DEFAULT, clock).request(ana, new VerificationService.NewRequest(Method.IN_PERSON, "centre", null, null, null));

        Instant first = service.delete(ana);
        Instant again = service.delete(ana);

        assertThat(again).isEqualTo(first);
        assertThat(directory.profile("ana")).isEmpty();
        assertThat(store.requests).isEmpty();
        assertThat(memory.events).hasSize(2).allSatisfy(e -> {
            assertThat(e.detailType()).isEqualTo(AccountEvents.DELETED);
            assertThat(e.accountId()).isEqualTo("ana");
            assertThat(e.at()).isEqualTo(first);
        });
    }

    @Test
    void export_isPendingUntilEveryCapabilityWroteItsPart_thenAssembled_andOnlyItsOwnerReadsIt() {
        var memory = new InMemoryAccounts();
        var service = accounts(memory, new InMemoryVerificationStore(), new InMemoryCensusStore());
        var started = service.requestExport(ana);
        assertThat(memory.events).singleElement().satisfies(e -> {
            assertThat(e.detailType()).isEqualTo(AccountEvents.EXPORT_REQUESTED);
            assertThat(e.id()).isEqualTo(started.exportId());
        });

        memory.parts.put(started.exportId(), Map.of("feedback", Json.tree("{\"evaluations\":[]}")));
        assertThat(service.export(ana, started.exportId())).isInstanceOfSatisfying(AccountService.Pending.class,
                p -> assertThat(p.pending()).containsExactly("bookings", "consultations", "telemetry", "notifications"));

        memory.parts.put(started.exportId(), Map.of("feedback", Json.tree("{}"), "bookings", Json.tree("{}"),
                "consultations", Json.tree("{}"), "telemetry", Json.tree("{}"), "notifications", Json.tree("{}")));
        assertThat(service.export(ana, started.exportId())).isInstanceOfSatisfying(AccountService.Ready.class, r -> {
            assertThat(r.parts()).containsOnlyKeys("feedback", "bookings", "consultations", "telemetry", "notifications");
            assertThat(r.readme()).containsKeys("accounts", "feedback", "bookings", "consultations", "telemetry", "notifications");
        });
        var ben = new Caller("ben", Set.of(Role.RESIDENT), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> service.export(ben, started.exportId())).isInstanceOf(DomainError.NotFound.class);
    }
}
