package org.territoire.shared.http;

import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may reach a route, checked by the kernel before the route runs, whatever the route
 * itself checks afterwards (object by object). A verified token whose groups name none of
 * the platform's roles reads what is public and nothing else: signing up gives no right to
 * book, vote, report or open a door.
 */
public sealed interface Access {

    /** No token needed: routes the template opens with {@code Authorizer: NONE}; the route checks any credential it takes. */
    Access ANYONE = new Anyone();

    /** Public content behind the authorizer: any verified token, with or without a role. */
    Access SIGNED_IN = new SignedIn();

    /** Any of the platform's roles. */
    Access MEMBERS = roles(Role.values());

    static Access roles(Role... roles) {
        if (roles.length == 0) {
            throw new IllegalArgumentException("name at least one role");
        }
        return new Roles(Set.copyOf(EnumSet.copyOf(Arrays.asList(roles))));
    }

    /** Throws 401 or 403 when the caller may not reach the route. */
    void check(java.util.Optional<Caller> caller);

    record Anyone() implements Access {
        @Override
        public void check(java.util.Optional<Caller> caller) {
        }
    }

    record SignedIn() implements Access {
        @Override
        public void check(java.util.Optional<Caller> caller) {
            if (caller.isEmpty()) {
                throw ApiException.unauthorized("a valid bearer token is required");
            }
        }
    }

    record Roles(Set<Role> accepted) implements Access {
        @Override
        public void check(java.util.Optional<Caller> caller) {
            Caller who = caller.orElseThrow(() -> ApiException.unauthorized("a valid bearer token is required"));
            if (who.roles().isEmpty()) {
                throw ApiException.forbidden("your account has no role yet (resident, provider, agent or admin): "
                        + "until the territory gives it one, it can read public content only");
            }
            if (!who.hasAny(accepted.toArray(Role[]::new))) {
                throw ApiException.forbidden("this action needs one of the roles " + names());
            }
        }

        public String names() {
            return Arrays.stream(Role.values()).filter(accepted::contains)
                    .map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
    }
}
