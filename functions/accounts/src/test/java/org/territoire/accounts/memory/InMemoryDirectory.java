package org.territoire.accounts.memory;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.accounts.account.Directory;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Role;

/** A user pool in memory: users, their groups and attributes. */
public final class InMemoryDirectory implements Directory {
    public final Map<String, Set<Role>> groups = new HashMap<>();
    public final Map<String, Map<String, String>> attributes = new HashMap<>();

    public InMemoryDirectory with(String accountId, String email) {
        groups.put(accountId, EnumSet.noneOf(Role.class));
        attributes.put(accountId, new HashMap<>(Map.of("email", email)));
        return this;
    }

    @Override
    public synchronized Optional<Profile> profile(String accountId) {
        if (!groups.containsKey(accountId)) {
            return Optional.empty();
        }
        return Optional.of(new Profile(accountId, Optional.ofNullable(attributes.get(accountId).get("email")), true,
                Set.copyOf(groups.get(accountId))));
    }

    private Set<Role> user(String accountId) {
        Set<Role> roles = groups.get(accountId);
        if (roles == null) {
            throw DomainError.notFound("no such account");
        }
        return roles;
    }

    @Override
    public synchronized void addToGroup(String accountId, Role role) {
        user(accountId).add(role);
    }

    @Override
    public synchronized void removeFromGroup(String accountId, Role role) {
        user(accountId).remove(role);
    }

    @Override
    public synchronized void setAttribute(String accountId, String name, String value) {
        user(accountId);
        attributes.get(accountId).put(name, value);
    }

    @Override
    public synchronized void delete(String accountId) {
        groups.remove(accountId);
        attributes.remove(accountId);
    }
}
