package org.territoire.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.accounts.account.Directory;
import org.territoire.accounts.memory.InMemoryCensusStore;
import org.territoire.accounts.memory.InMemoryDirectory;
import org.territoire.accounts.memory.InMemoryVerificationStore;
import org.territoire.accounts.verification.Census;
import org.territoire.accounts.verification.CensusStore;
import org.territoire.accounts.verification.Method;
import org.territoire.accounts.verification.PostalCodes;
import org.territoire.accounts.verification.RequestStatus;
import org.territoire.accounts.verification.VerificationPolicy;
import org.territoire.accounts.verification.VerificationRequest;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.accounts.verification.VerificationService.NewRequest;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** The verification rules on in-memory ports: census matching, postal codes' expiry and tries, agents' decisions. */
@Tag("unit")
class VerificationRulesTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();

    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T10:00:00Z"));
    final Clock clock = new Clock() {
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now.get(); }
    };
    final InMemoryVerificationStore store = new InMemoryVerificationStore();
    final InMemoryCensusStore census = new InMemoryCensusStore();
    final InMemoryDirectory directory = new InMemoryDirectory().with("ana", "ana@example.org").with("ben", "ben@example.org");
    final Census hashes = new Census(KEY);
    final PostalCodes codes = new PostalCodes("another-key-another-key-another!".getBytes());

    VerificationService service(VerificationPolicy policy) {
        return new VerificationService(store, census, hashes, codes, directory, policy, clock);
    }

    final VerificationService service = service(VerificationPolicy.DEFAULT);
    final Caller ana = new Caller("ana", Set.of(), Optional.empty(), Optional.empty());
    final Caller ben = new Caller("ben", Set.of(), Optional.empty(), Optional.empty());
    final Caller agent = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.of("mairie"));
    final Caller agent2 = new Caller("agent-2", Set.of(Role.AGENT), Optional.empty(), Optional.of("mairie"));

    void loadCensus(String document, String birth, String district) {
        census.load(List.of(new CensusStore.Entry(hashes.hmac(Census.normaliseDocument(document).orElseThrow(),
                LocalDate.parse(birth)), district)));
    }

    @Test
    void census_aMatch_approvesAtOnce_joinsResidentWithTheCensusDistrict_andKeepsNoIdentifier() {
        loadCensus("AB123456", "1990-04-01", "centre");

        // Spaces, dashes and case are normalised as the office's script does.
        VerificationRequest r = service.request(ana, new NewRequest(Method.CENSUS, null, null, "ab 123-456", "1990-04-01"));

        assertThat(r.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(r.district()).isEqualTo("centre");
        assertThat(r.decidedBy()).contains(VerificationService.BY_CENSUS);
        assertThat(directory.groups.get("ana")).containsExactly(Role.RESIDENT);
        assertThat(directory.attributes.get("ana")).containsEntry(Directory.DISTRICT, "centre");
        var v = store.verifications.get("ana");
        assertThat(v.method()).isEqualTo(Method.CENSUS);
        assertThat(v.expiresAt()).isEqualTo(now.get().plus(Duration.ofDays(365)));
        // What is kept names no identifier: the request is method, district, when and by whom.
        assertThat(store.requests.get(r.id()).toString()).doesNotContain("AB123456", "1990-04-01");
    }

    @Test
    void census_noMatch_isRefused_countingTheAttemptOnly_andTheDailyAttemptsAreCapped() {
        loadCensus("AB123456", "1990-04-01", "centre");
        var policy = new VerificationPolicy(EnumSet.allOf(Method.class), Duration.ofDays(365), Duration.ofDays(30), 5, 3);
        var capped = service(policy);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> capped.request(ana, new NewRequest(Method.CENSUS, null, null, "ZZ999999", "1990-04-01")))
                    .isInstanceOf(DomainError.RuleViolated.class).hasMessageContaining("no entry");
        }
        // The fourth attempt of the day is refused before any lookup, even with the right identifier.
        assertThatThrownBy(() -> capped.request(ana, new NewRequest(Method.CENSUS, null, null, "AB123456", "1990-04-01")))
                .isInstanceOf(DomainError.RuleViolated.class).hasMessageContaining("too many");
        assertThat(census.attempts).containsOnlyKeys("ana#2026-12-01");
        assertThat(store.requests).isEmpty();
        assertThat(directory.groups.get("ana")).isEmpty();

        now.set(now.get().plus(Duration.ofDays(1)));
        assertThat(capped.request(ana, new NewRequest(Method.CENSUS, null, null, "AB123456", "1990-04-01")).status())
                .isEqualTo(RequestStatus.APPROVED);
    }

    @Test
    void census_anEntryBindsOneAccount() {
        loadCensus("AB123456", "1990-04-01", "centre");
        service.request(ana, new NewRequest(Method.CENSUS, null, null, "AB123456", "1990-04-01"));

        assertThatThrownBy(() -> service.request(ben, new NewRequest(Method.CENSUS, null, null, "AB123456", "1990-04-01")))
                .isInstanceOf(DomainError.Conflict.class);
        assertThat(directory.groups.get("ben")).isEmpty();
    }

    @Test
    void census_theHmacIsKeyed_aBareHashOfTheIdentifierIsNotIt() {
        String keyed = hashes.hmac("AB123456", LocalDate.parse("1990-04-01"));
        assertThat(keyed).matches("[0-9a-f]{64}")
                .isNotEqualTo(org.territoire.shared.crypto.Hashes.sha256Hex("AB123456|1990-04-01"))
                .isNotEqualTo(new Census("ffffffffffffffffffffffffffffffff".getBytes()).hmac("AB123456", LocalDate.parse("1990-04-01")));
    }

    @Test
    void census_missingFields_areNamed_andADistrictIsNotTakenFromTheBody() {
        assertThatThrownBy(() -> service.request(ana, new NewRequest(Method.CENSUS, "nord", null, "x", "01/04/1990")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("documentNumber", "birthDate", "district"));
        assertThat(census.attempts).isEmpty();
    }

    @Test
    void aMethodTheTerritoryDoesNotOffer_isRefused() {
        var onlyInPerson = service(new VerificationPolicy(EnumSet.of(Method.IN_PERSON), Duration.ofDays(365), Duration.ofDays(30), 5, 5));
        assertThatThrownBy(() -> onlyInPerson.request(ana, new NewRequest(Method.CENSUS, null, null, "AB123456", "1990-04-01")))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThatThrownBy(() -> onlyInPerson.request(ana, new NewRequest(Method.POSTAL, "centre", "1 rue de la Paix", null, null)))
                .isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void postal_theLetterDropsTheAddress_keepsTheCodeHashedOnly_andTheRightCodeApproves() {
        var r = service.request(ana, new NewRequest(Method.POSTAL, "nord", "12 rue des Lilas, 69004 Lyon", null, null));
        var letter = service.sendLetter(agent, r.id());

        var kept = store.requests.get(r.id());
        assertThat(kept.address()).isEmpty();
        assertThat(kept.codeHash()).isPresent().get().isNotEqualTo(letter.code());
        assertThat(kept.toString()).doesNotContain(letter.code());
        assertThat(letter.address()).isEqualTo("12 rue des Lilas, 69004 Lyon");

        var approved = service.enterCode(ana, r.id(), letter.code().toLowerCase());
        assertThat(approved.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(directory.attributes.get("ana")).containsEntry(Directory.DISTRICT, "nord");
        assertThat(store.requests.get(r.id()).codeHash()).isEmpty();
        assertThat(store.verifications.get("ana").verifiedBy()).isEqualTo(VerificationService.BY_POSTAL_CODE);
    }

    @Test
    void postal_wrongCodes_spendTheTries_thenEvenTheRightOneIsRefused() {
        var r = service.request(ana, new NewRequest(Method.POSTAL, "nord", "12 rue des Lilas", null, null));
        var letter = service.sendLetter(agent, r.id());

        for (int left = 4; left >= 0; left--) {
            int expected = left;
            assertThatThrownBy(() -> service.enterCode(ana, r.id(), "WRONG123"))
                    .isInstanceOfSatisfying(DomainError.RuleViolated.class, e -> assertThat(e.details()).containsEntry("triesLeft", expected));
        }
        assertThatThrownBy(() -> service.enterCode(ana, r.id(), letter.code()))
                .isInstanceOf(DomainError.RuleViolated.class).hasMessageContaining("no tries left");
        assertThat(directory.groups.get("ana")).isEmpty();
    }

    @Test
    void postal_anExpiredCode_isRefused_withoutSpendingATry() {
        var r = service.request(ana, new NewRequest(Method.POSTAL, "nord", "12 rue des Lilas", null, null));
        var letter = service.sendLetter(agent, r.id());
        now.set(now.get().plus(Duration.ofDays(30)));

        assertThatThrownBy(() -> service.enterCode(ana, r.id(), letter.code()))
                .isInstanceOf(DomainError.RuleViolated.class).hasMessageContaining("expired");
        assertThat(store.requests.get(r.id()).triesLeft()).isEqualTo(5);
    }

    @Test
    void postal_someoneElsesRequest_isNotFound_andAnAgentCannotApproveWithoutTheCode() {
        var r = service.request(ana, new NewRequest(Method.POSTAL, "nord", "12 rue des Lilas", null, null));
        var letter = service.sendLetter(agent, r.id());
        assertThatThrownBy(() -> service.enterCode(ben, r.id(), letter.code())).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.decide(agent, r.id(), true)).isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void inPerson_anAgentApproves_once_aSecondDecisionIsAConflict_andNobodyDecidesTheirOwn() {
        var r = service.request(ana, new NewRequest(Method.IN_PERSON, "sud", null, null, null));
        assertThatThrownBy(() -> service.request(ana, new NewRequest(Method.IN_PERSON, "sud", null, null, null)))
                .isInstanceOf(DomainError.Conflict.class);

        var approved = service.decide(agent, r.id(), true);
        assertThat(approved.decidedBy()).contains("agent-1");
        assertThat(directory.groups.get("ana")).containsExactly(Role.RESIDENT);
        assertThatThrownBy(() -> service.decide(agent2, r.id(), false)).isInstanceOf(DomainError.Conflict.class);
        // The same agent retrying the same decision gets it again.
        assertThat(service.decide(agent, r.id(), true).status()).isEqualTo(RequestStatus.APPROVED);

        var own = service.request(new Caller("agent-2", Set.of(Role.AGENT), Optional.empty(), Optional.empty()),
                new NewRequest(Method.IN_PERSON, "sud", null, null, null));
        assertThatThrownBy(() -> service.decide(agent2, own.id(), true)).isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void aMalformedRequestId_namesNoRequest() {
        assertThatThrownBy(() -> service.view(agent, "x".repeat(3000))).isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.decide(agent, "REQ#1", true)).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void anAccountGoneFromThePool_getsNoVerificationWritten() {
        var r = service.request(ana, new NewRequest(Method.IN_PERSON, "sud", null, null, null));
        directory.delete("ana");

        assertThatThrownBy(() -> service.decide(agent, r.id(), true)).isInstanceOf(DomainError.NotFound.class);
        assertThat(store.requests.get(r.id()).status()).isEqualTo(RequestStatus.PENDING);
        assertThat(store.verifications).isEmpty();
    }

    @Test
    void inPerson_aRejection_grantsNothing_andAllowsANewRequest() {
        var r = service.request(ana, new NewRequest(Method.IN_PERSON, "sud", null, null, null));
        assertThat(service.decide(agent, r.id(), false).status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(directory.groups.get("ana")).isEmpty();
        assertThat(service.request(ana, new NewRequest(Method.IN_PERSON, "sud", null, null, null)).status())
                .isEqualTo(RequestStatus.PENDING);
    }
}
