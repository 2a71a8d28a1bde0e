package org.territoire.identity;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cognito cannot require MFA for some groups only (the pool's MFA is OFF, OPTIONAL or ON for
 * everyone), and residents should not need a second factor. Agents and administrators hold
 * device keys and issue API keys, so their roles are granted only to a sign-in that passed
 * TOTP: without it, the tokens carry the user's other groups and never agent or admin.
 * The user can still sign in, enrol an authenticator (which needs an access token), and
 * sign in again to get the role. Tokens refreshed without a sign-in never carry the role: a
 * refresh passes no TOTP challenge, and whoever holds the refresh token could have enrolled
 * an authenticator of their own.
 */
public final class PrivilegedGroups {
    /** The groups that require MFA; compared case-insensitively, as the API's role parsing does. */
    public static final Set<String> REQUIRING_MFA = Set.of("agent", "admin");

    private PrivilegedGroups() {
    }

    public static boolean anyPrivileged(List<String> groups) {
        return groups.stream().anyMatch(PrivilegedGroups::privileged);
    }

    /** The groups the tokens may carry: all of them with MFA, the unprivileged ones without. */
    public static List<String> granted(List<String> groups, boolean hasMfa) {
        return hasMfa ? List.copyOf(groups) : groups.stream().filter(g -> !privileged(g)).toList();
    }

    /**
     * Privileged when any word of the name is: the API reads {@code cognito:groups} as API
     * Gateway flattens it ({@code [a b]}), splitting on spaces and commas, so a group named
     * "team admin" would reach it as the role admin.
     */
    private static boolean privileged(String group) {
        for (String word : group.split("[\\s,\\[\\]\"]+")) {
            if (REQUIRING_MFA.contains(word.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
