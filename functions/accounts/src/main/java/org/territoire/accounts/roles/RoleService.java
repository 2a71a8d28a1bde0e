package org.territoire.accounts.roles;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.accounts.account.Directory;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/**
 * Who makes whom: admins make agents; agents (and admins) make providers for an organisation and
 * revoke them. Nobody grants or revokes anything of their own. The change is in the user pool at
 * once and in the person's token at its next refresh (an ID token is not changed after it is issued).
 */
public final class RoleService {
    public static final String TAKES_EFFECT = "at the account's next token refresh (or sign-in): tokens already issued keep their roles until they expire";

    private final Directory directory;
    private final RoleLedger ledger;
    private final Clock clock;

    public RoleService(Directory directory, RoleLedger ledger, Clock clock) {
        this.directory = directory;
        this.ledger = ledger;
        this.clock = clock;
    }

    public record Change(String accountId, String role, String organisationId, boolean granted, String by, Instant at,
                         String takesEffect) {
    }

    public record ProviderGrant(String organisationId) {
    }

    public Change grantAgent(Caller admin, String accountId) {
        admin.requireAny(Role.ADMIN);
        target(admin, accountId);
        return change(admin, accountId, Role.AGENT, true, null);
    }

    public Change revokeAgent(Caller admin, String accountId) {
        admin.requireAny(Role.ADMIN);
        target(admin, accountId);
        return change(admin, accountId, Role.AGENT, false, null);
    }

    public Change grantProvider(Caller agent, String accountId, ProviderGrant grant) {
        agent.requireAny(Role.AGENT, Role.ADMIN);
        String organisation = grant == null ? null : grant.organisationId();
        if (organisation == null || !organisation.matches(Caller.ORGANISATION_ID)) {
            throw DomainError.invalid("organisationId", "is required: lower-case letters, digits and dashes");
        }
        target(agent, accountId);
        return change(agent, accountId, Role.PROVIDER, true, organisation);
    }

    public Change revokeProvider(Caller agent, String accountId) {
        agent.requireAny(Role.AGENT, Role.ADMIN);
        target(agent, accountId);
        return change(agent, accountId, Role.PROVIDER, false, null);
    }

    /** Who granted or revoked which role of the account, newest first (agents and admins). */
    public List<RoleLedger.Entry> history(Caller viewer, String accountId) {
        viewer.requireAny(Role.AGENT, Role.ADMIN);
        if (!accountId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw DomainError.notFound("no such account");
        }
        List<RoleLedger.Entry> history = ledger.history(accountId);
        if (history.isEmpty() && directory.profile(accountId).isEmpty()) {
            throw DomainError.notFound("no such account");
        }
        return history;
    }

    /** The person's own history, for their export. */
    public List<RoleLedger.Entry> ownHistory(Caller caller) {
        return ledger.history(caller.id());
    }

    /**
     * Records the change (standing and history entry in one transaction), then makes the user pool
     * say the same. Two changes of the same role at once: each records, then each applies; the
     * standing is read again afterwards and applied once more if another change came last, so the
     * pool ends as the last recorded change says.
     */
    private Change change(Caller by, String accountId, Role role, boolean granted, String organisation) {
        Instant at = clock.instant();
        RoleLedger.Entry entry = new RoleLedger.Entry(accountId, role.group(), granted, Optional.ofNullable(organisation), by.id(), at);
        ledger.record(entry);
        apply(entry, role);
        ledger.standing(accountId, role.group()).filter(last -> last.granted() != granted
                || !last.organisationId().equals(entry.organisationId())).ifPresent(last -> apply(last, role));
        return new Change(accountId, role.group(), organisation, granted, by.id(), at, TAKES_EFFECT);
    }

    private void apply(RoleLedger.Entry entry, Role role) {
        if (entry.granted()) {
            entry.organisationId().ifPresent(o -> directory.setAttribute(entry.accountId(), Directory.ORGANISATION, o));
            directory.addToGroup(entry.accountId(), role);
        } else {
            // The group only: custom:organisation alone grants nothing (every check needs an operator role
            // too, docs/decisions.md), and an agent of the same organisation keeps it.
            directory.removeFromGroup(entry.accountId(), role);
        }
    }

    private void target(Caller who, String accountId) {
        if (accountId.equals(who.id())) {
            throw DomainError.forbidden("nobody grants or revokes their own roles");
        }
        // A sub is a UUID; anything else (over Cognito's username limits, say) names no account.
        if (!accountId.matches("[A-Za-z0-9._-]{1,64}") || directory.profile(accountId).isEmpty()) {
            throw DomainError.notFound("no such account");
        }
    }
}
