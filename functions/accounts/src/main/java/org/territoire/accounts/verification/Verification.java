package org.territoire.accounts.verification;

import java.time.Instant;

/**
 * A person's standing verification: only the method, the district, when, by whom ("census" for a
 * census match, the agent's id otherwise) and when it lapses. Renewal and a move are new requests.
 */
public record Verification(String accountId, Method method, String district, Instant verifiedAt, String verifiedBy,
                           Instant expiresAt) {
    public boolean validAt(Instant now) {
        return expiresAt.isAfter(now);
    }
}
