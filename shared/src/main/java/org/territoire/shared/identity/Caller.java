package org.territoire.shared.identity;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.shared.error.DomainError;

/**
 * Who is calling, taken only from the claims that API Gateway's JWT authorizer verified.
 * The body of a request never says who its author is, which district they live in, or
 * which organisation they belong to.
 *
 * @param id           the token's {@code sub}
 * @param roles        from {@code cognito:groups}
 * @param district     from {@code custom:district}, the resident's district
 * @param organisation from {@code custom:organisation}, a provider's or agent's organisation
 */
public record Caller(String id, Set<Role> roles, Optional<String> district, Optional<String> organisation) {
    public static final String GROUPS_CLAIM = "cognito:groups";
    public static final String DISTRICT_CLAIM = "custom:district";
    public static final String ORGANISATION_CLAIM = "custom:organisation";

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Claims as API Gateway HTTP APIs pass them: every value a string, arrays written as {@code [a b]}. */
    public static Optional<Caller> fromClaims(Map<String, String> claims) {
        String sub = claims.get("sub");
        if (sub == null || sub.isBlank()) {
            return Optional.empty();
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String groups = claims.getOrDefault(GROUPS_CLAIM, "");
        Arrays.stream(groups.replaceAll("[\\[\\]\"]", " ").split("[\\s,]+"))
                .filter(g -> !g.isBlank())
                .forEach(g -> Role.fromGroup(g).ifPresent(roles::add));
        return Optional.of(new Caller(sub, roles, nonBlank(claims.get(DISTRICT_CLAIM)),
                nonBlank(claims.get(ORGANISATION_CLAIM))));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... wanted) {
        return Arrays.stream(wanted).anyMatch(roles::contains);
    }

    public void requireAny(Role... wanted) {
        if (!hasAny(wanted)) {
            throw DomainError.forbidden("this action needs one of the roles " + Arrays.toString(wanted).toLowerCase());
        }
    }

    /**
     * What an organisation id looks like. Ids starting {@code snapstart-priming} are reserved: SnapStart priming reads and
     * renders for {@code EventPriming.ABSENT}, which must never name a real organisation (its operators would be mailed).
     */
    public static final String ORGANISATION_ID = "(?!snapstart-priming)[a-z0-9][a-z0-9-]{0,63}";

    /**
     * The organisation an operator acts for: agents and admins name it ({@code requested}, 400
     * when missing or malformed); a provider acts for its token's organisation only (403 when
     * it names another, or its token names none; anyone else is refused too).
     */
    public String organisationToActFor(String requested) {
        if (hasAny(Role.AGENT, Role.ADMIN)) {
            if (requested == null || requested.isBlank()) {
                throw DomainError.invalid("organisationId", "is required: name the operating organisation");
            }
            if (!requested.matches(ORGANISATION_ID)) {
                throw DomainError.invalid("organisationId", "must be lower-case letters, digits and dashes");
            }
            return requested;
        }
        if (!has(Role.PROVIDER)) {
            throw DomainError.forbidden("this action needs the provider, agent or admin role");
        }
        String own = organisation.orElseThrow(() -> DomainError.forbidden("your token names no organisation"));
        if (requested != null && !requested.equals(own)) {
            throw DomainError.forbidden("a provider acts for its own organisation only");
        }
        return own;
    }

    /** True when the caller is a provider whose token names this organisation. */
    public boolean memberOf(String organisationId) {
        return organisation.map(o -> o.equals(organisationId)).orElse(false);
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
