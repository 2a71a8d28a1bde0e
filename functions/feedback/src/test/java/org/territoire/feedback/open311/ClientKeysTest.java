package org.territoire.feedback.open311;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.territoire.shared.identity.Caller;

@org.junit.jupiter.api.Tag("unit")
class ClientKeysTest {
    private final InMemoryKeys repository = new InMemoryKeys();
    private final ClientKeys keys = new ClientKeys(repository, Clock.fixed(java.time.Instant.parse("2026-11-25T10:00:00Z"), java.time.ZoneOffset.UTC));
    private final Caller agent = Caller.fromClaims(Map.of("sub", "agent-1", Caller.GROUPS_CLAIM, "[agent]")).orElseThrow();

    @Test
    void anIssuedKey_authenticates_butNotWithAnAlteredSecret_norAfterRevocation() {
        ClientKeys.Issued issued = keys.issue(agent, "mairie", new ClientKeys.NewKey("Appli"));
        String altered = issued.apiKey().substring(0, issued.apiKey().length() - 1)
                + (issued.apiKey().endsWith("A") ? "B" : "A");

        assertThat(keys.authenticate(issued.apiKey())).contains(issued.key());
        assertThat(keys.authenticate(altered)).isEmpty();
        assertThat(keys.authenticate("t311_nothex_secret")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        keys.revoke(agent, "mairie", issued.key().keyId());
        assertThat(keys.authenticate(issued.apiKey())).isEmpty();
    }

    @Test
    void revokingAKeyThatIsNotTheOrganisations_isNotFound_andTheKeyStillWorks() {
        ClientKeys.Issued issued = keys.issue(agent, "mairie", new ClientKeys.NewKey("Appli"));

        assertThatThrownBy(() -> keys.revoke(agent, "transports", issued.key().keyId())).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> keys.revoke(agent, "mairie", "0000000000000000")).isInstanceOf(DomainError.NotFound.class);
        assertThat(keys.list(agent, "mairie").items()).containsExactly(issued.key());
        assertThat(issued.key().createdAt()).isEqualTo(java.time.Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(keys.authenticate(issued.apiKey())).contains(issued.key());
    }

    @Test
    void theSecret_isNeverStored() {
        ClientKeys.Issued issued = keys.issue(agent, "mairie", new ClientKeys.NewKey("Appli"));
        String secret = issued.apiKey().substring(issued.apiKey().lastIndexOf('_') + 1);

        assertThat(repository.keys.values()).allSatisfy(k -> assertThat(k.secretHash()).doesNotContain(secret));
    }

    @Test
    void aProvider_managesOnlyItsOwnOrganisationsKeys() {
        Caller provider = Caller.fromClaims(Map.of("sub", "p", Caller.GROUPS_CLAIM, "[provider]",
                Caller.ORGANISATION_CLAIM, "transports")).orElseThrow();

        assertThat(keys.issue(provider, "transports", new ClientKeys.NewKey("Bus app")).key().organisationId()).isEqualTo("transports");
        assertThatThrownBy(() -> keys.issue(provider, "mairie", new ClientKeys.NewKey("Appli")))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> keys.issue(agent, "mairie", new ClientKeys.NewKey("")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("name"));
    }

    @Test
    void formBodies_areDecoded_andAFieldGivenTwiceIsRefused() {
        assertThat(FormBody.parse("description=Banc+cass%C3%A9&attribute%5Bcontact_preference%5D=EMAIL&empty="))
                .containsExactly(Map.entry("description", "Banc cassé"), Map.entry("attribute[contact_preference]", "EMAIL"),
                        Map.entry("empty", ""));
        assertThatThrownBy(() -> FormBody.parse("lat=1&lat=2"))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("lat"));
        assertThatThrownBy(() -> FormBody.parse("a=%zz")).isInstanceOf(DomainError.Invalid.class);
    }

    private static final class InMemoryKeys implements ClientKeyRepository {
        final Map<String, StoredKey> keys = new ConcurrentHashMap<>();

        @Override
        public void create(ClientKey key, String secretHash) {
            keys.put(key.keyId(), new StoredKey(key, secretHash));
        }

        @Override
        public Optional<StoredKey> find(String keyId) {
            return Optional.ofNullable(keys.get(keyId));
        }

        @Override
        public List<ClientKey> ofOrganisation(String organisationId) {
            return keys.values().stream().map(StoredKey::key).filter(k -> k.organisationId().equals(organisationId)).toList();
        }

        @Override
        public boolean revoke(String organisationId, String keyId) {
            StoredKey key = keys.get(keyId);
            return key != null && key.key().organisationId().equals(organisationId) && keys.remove(keyId, key);
        }
    }
}
