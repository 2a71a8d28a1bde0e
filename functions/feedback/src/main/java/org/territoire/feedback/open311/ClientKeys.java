package org.territoire.feedback.open311;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.validation.Validation;

/**
 * Open311 api_keys, each tied to one organisation (a civic app, the town's own app). A key
 * reads {@code t311_<keyId>_<secret>}: the key id finds the stored item in one read, and only
 * the secret's SHA-256 is stored, so a table dump reveals no usable key. Agents issue keys for
 * any organisation, a provider for its own.
 */
public final class ClientKeys {
    private static final String PREFIX = "t311_";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A newly issued key: the only time its secret is shown. */
    public record Issued(ClientKey key, String apiKey) {
    }

    /** {@code GET /organisations/{id}/open311-keys}: the organisation's keys, without their secrets. */
    public record KeyList(List<ClientKey> items) {
    }

    /** The body of {@code POST /organisations/{id}/open311-keys}. */
    public record NewKey(String name) {
    }

    private final ClientKeyRepository keys;
    private final Clock clock;

    public ClientKeys(ClientKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public Issued issue(Caller caller, String organisationId, NewKey request) {
        requireOperator(caller, organisationId);
        new Validation().text("name", request.name(), 2, 100, true).throwIfInvalid();
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String keyId = HexFormat.of().formatHex(id);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ClientKey key = new ClientKey(keyId, organisationId, request.name().strip(), clock.instant(), caller.id());
        keys.create(key, Hashes.sha256Hex(secretText));
        return new Issued(key, PREFIX + keyId + "_" + secretText);
    }

    public KeyList list(Caller caller, String organisationId) {
        requireOperator(caller, organisationId);
        return new KeyList(keys.ofOrganisation(organisationId));
    }

    public void revoke(Caller caller, String organisationId, String keyId) {
        requireOperator(caller, organisationId);
        if (!keys.revoke(organisationId, keyId)) {
            throw DomainError.notFound("this organisation has no such key");
        }
    }

    /** The key this api_key stands for, if it is one we issued and did not revoke. */
    public Optional<ClientKey> authenticate(String apiKey) {
        if (apiKey == null || !apiKey.startsWith(PREFIX) || apiKey.length() > 100) {
            return Optional.empty();
        }
        String[] parts = apiKey.substring(PREFIX.length()).split("_", 2);
        if (parts.length != 2 || !parts[0].matches("[0-9a-f]{16}")) {
            return Optional.empty();
        }
        byte[] offered = Hashes.sha256Hex(parts[1]).getBytes(StandardCharsets.US_ASCII);
        return keys.find(parts[0])
                .filter(stored -> MessageDigest.isEqual(offered, stored.secretHash().getBytes(StandardCharsets.US_ASCII)))
                .map(ClientKeyRepository.StoredKey::key);
    }

    private static void requireOperator(Caller caller, String organisationId) {
        if (!organisationId.matches(Caller.ORGANISATION_ID)) {
            throw DomainError.notFound("no such organisation");
        }
        if (!caller.hasAny(Role.AGENT, Role.ADMIN) && !(caller.has(Role.PROVIDER) && caller.memberOf(organisationId))) {
            throw DomainError.forbidden("only agents and the organisation's own providers manage its Open311 keys");
        }
    }
}
