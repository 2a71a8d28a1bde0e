package org.territoire.telemetry.device;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * A resident's choice to let their home devices count in the district aggregates: explicit
 * (nobody counts until they say so), revocable at any time, recorded with when it was made.
 */
public interface Consents {
    record Consent(boolean shareInDistrictAggregates, Instant at) {
    }

    Optional<Consent> find(String ownerId);

    void record(String ownerId, boolean share, Instant at);

    /** Of these owners, those whose current choice is to share. */
    Set<String> sharing(Collection<String> ownerIds);

    /** Forgets the choice (the account is erased). */
    void erase(String ownerId);

    /** Every owner shares: for code and tests that predate the choice. */
    Consents EVERYONE = new Consents() {
        @Override
        public Optional<Consent> find(String ownerId) {
            return Optional.empty();
        }

        @Override
        public void record(String ownerId, boolean share, Instant at) {
            throw new UnsupportedOperationException("no consent store");
        }

        @Override
        public Set<String> sharing(Collection<String> ownerIds) {
            return Set.copyOf(ownerIds);
        }

        @Override
        public void erase(String ownerId) {
        }
    };
}
