package org.territoire.accounts.verification;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.accounts.account.Directory;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Role;

/**
 * A verification lapses after the territory's period (VerificationValidityDays): the sweep takes
 * the person out of the {@code resident} group, which reaches their token at its next refresh.
 *
 * <p>A renewal racing the sweep wins. Per lapsed verification: (1) the lapse is recorded,
 * conditioned on the expiry date read, so a renewal written before it stops the sweep there;
 * (2) the group is removed; (3) the verification is read again, strongly: a renewal approved
 * between (1) and (2) added the group before (2) took it away, so the sweep gives it back (a
 * renewal approved after this read adds the group itself, after (2)); (4) the verification leaves
 * the expiry index, again conditioned on the date read. A failure anywhere leaves it on the index
 * and the next run does it again; every step can be repeated.
 */
public final class VerificationExpiry {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationExpiry.class);

    private final ExpiryStore store;
    private final Directory directory;

    public VerificationExpiry(ExpiryStore store, Directory directory) {
        this.store = store;
        this.directory = directory;
    }

    /** What a run did: lapses settled, verifications found renewed meanwhile, and failures (retried next run). */
    public record Summary(int expired, int renewed, int failed) {
    }

    public Summary sweep(Instant now) {
        int[] counts = new int[3];
        store.eachExpired(now, seen -> {
            try {
                counts[expire(seen, now) ? 0 : 1]++;
            } catch (RuntimeException e) {
                counts[2]++;
                LOG.warn("could not settle the lapsed verification of an account; the next run retries", e);
            }
        });
        return new Summary(counts[0], counts[1], counts[2]);
    }

    /** True when the lapse is settled, false when a renewal came first. */
    private boolean expire(Verification seen, Instant now) {
        if (!store.recordExpiry(seen, now)) {
            return false;
        }
        try {
            directory.removeFromGroup(seen.accountId(), Role.RESIDENT);
        } catch (DomainError.NotFound gone) {
            // The user was deleted; the account's erasure removes the verification too.
        }
        boolean renewed = store.current(seen.accountId()).filter(v -> v.expiresAt().isAfter(seen.expiresAt())).isPresent();
        if (renewed) {
            directory.addToGroup(seen.accountId(), Role.RESIDENT);
            return false;
        }
        return store.settled(seen);
    }
}
