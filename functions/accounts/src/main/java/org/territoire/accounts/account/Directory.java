package org.territoire.accounts.account;

import java.util.Optional;
import java.util.Set;
import org.territoire.shared.identity.Role;

/**
 * The port over the user pool, the identity store: groups and the two attributes the platform
 * trusts ({@code custom:district}, {@code custom:organisation}). Only this function writes them
 * (Cognito's admin API); what it writes reaches a token at the account's next sign-in or refresh.
 */
public interface Directory {
    String DISTRICT = "custom:district";
    String ORGANISATION = "custom:organisation";

    record Profile(String accountId, Optional<String> email, boolean confirmed, Set<Role> roles) {
    }

    /** The account, or empty when the pool has no such user. */
    Optional<Profile> profile(String accountId);

    void addToGroup(String accountId, Role role);

    void removeFromGroup(String accountId, Role role);

    void setAttribute(String accountId, String name, String value);

    /** Deletes the user; an account already gone is not an error (a retried deletion). */
    void delete(String accountId);
}
