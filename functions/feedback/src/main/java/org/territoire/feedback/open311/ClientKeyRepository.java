package org.territoire.feedback.open311;

import java.util.List;
import java.util.Optional;

/** Open311 api_keys: the key's public part and a hash of its secret. */
public interface ClientKeyRepository {
    /** A stored key and the SHA-256 of its secret. */
    record StoredKey(ClientKey key, String secretHash) {
    }

    void create(ClientKey key, String secretHash);

    Optional<StoredKey> find(String keyId);

    List<ClientKey> ofOrganisation(String organisationId);

    /** Deletes the key if it belongs to the organisation; false otherwise. */
    boolean revoke(String organisationId, String keyId);
}
