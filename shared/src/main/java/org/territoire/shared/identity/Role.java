package org.territoire.shared.identity;

import java.util.Locale;
import java.util.Optional;

/** The Cognito groups of the user pool, as roles. */
public enum Role {
    RESIDENT, PROVIDER, AGENT, ADMIN;

    public String group() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromGroup(String group) {
        for (Role role : values()) {
            if (role.group().equalsIgnoreCase(group.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
