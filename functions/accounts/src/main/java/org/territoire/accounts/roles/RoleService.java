package org.territoire.accounts.roles;

import java.time.Clock;
import java.time.Instant;
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
    private final Clock clock;

    public RoleService(Directory directory, Clock clock) {
        this.directory = directory;
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
        directory.addToGroup(accountId, Role.AGENT);
        return new Change(accountId, Role.AGENT.group(), null, true, admin.id(), clock.instant(), TAKES_EFFECT);
    }

    public Change revokeAgent(Caller admin, String accountId) {
        admin.requireAny(Role.ADMIN);
        target(admin, accountId);
        directory.removeFromGroup(accountId, Role.AGENT);
        return new Change(accountId, Role.AGENT.group(), null, false, admin.id(), clock.instant(), TAKES_EFFECT);
    }

    public Change grantProvider(Caller agent, String accountId, ProviderGrant grant) {
        agent.requireAny(Role.AGENT, Role.ADMIN);
        String organisation = grant == null ? null : grant.organisationId();
        if (organisation == null || !organisation.matches(Caller.ORGANISATION_ID)) {
            throw DomainError.invalid("organisationId", "is required: lower-case letters, digits and dashes");
        }
        target(agent, accountId);
        directory.setAttribute(accountId, Directory.ORGANISATION, organisation);
        directory.addToGroup(accountId, Role.PROVIDER);
        return new Change(accountId, Role.PROVIDER.group(), organisation, true, agent.id(), clock.instant(), TAKES_EFFECT);
    }

    public Change revokeProvider(Caller agent, String accountId) {
        agent.requireAny(Role.AGENT, Role.ADMIN);
        target(agent, accountId);
        // The group only: custom:organisation alone grants nothing (every check needs an operator role
        // too, docs/decisions.md), and an agent of the same organisation keeps it.
        directory.removeFromGroup(accountId, Role.PROVIDER);
        return new Change(accountId, Role.PROVIDER.group(), null, false, agent.id(), clock.instant(), TAKES_EFFECT);
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
