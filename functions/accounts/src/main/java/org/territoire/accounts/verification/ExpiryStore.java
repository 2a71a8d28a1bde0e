package org.territoire.accounts.verification;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The port of the expiry sweep over the standing verifications: which have lapsed, by their
 * expiry date (an index, never a scan), and the two conditional writes that record a lapse.
 * Both are conditioned on the {@code expiresAt} the sweep read: a renewal writes a new one, and
 * then neither write touches it.
 */
public interface ExpiryStore {

    /** Each verification whose {@code expiresAt} is at or before {@code now} and whose lapse is not recorded yet, oldest first. */
    void eachExpired(Instant now, Consumer<Verification> action);

    /** Records when the sweep found it lapsed; false when it was renewed (or erased) since it was read. */
    boolean recordExpiry(Verification seen, Instant now);

    /** Takes it off the expiry index once the group is gone; false when it was renewed (or erased) since. */
    boolean settled(Verification seen);

    /** The verification as it stands now (a strongly consistent read). */
    Optional<Verification> current(String accountId);
}
