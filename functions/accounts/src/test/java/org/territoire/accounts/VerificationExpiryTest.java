package org.territoire.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.accounts.memory.InMemoryCensusStore;
import org.territoire.accounts.memory.InMemoryDirectory;
import org.territoire.accounts.memory.InMemoryVerificationStore;
import org.territoire.accounts.verification.Census;
import org.territoire.accounts.verification.Method;
import org.territoire.accounts.verification.PostalCodes;
import org.territoire.accounts.verification.VerificationExpiry;
import org.territoire.accounts.verification.VerificationPolicy;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.accounts.verification.VerificationService.NewRequest;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** The expiry sweep's rules on in-memory ports: a lapse removes the group once; a renewal, however it races, keeps it. */
@Tag("unit")
class VerificationExpiryTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final InMemoryVerificationStore store = new InMemoryVerificationStore();
    final InMemoryDirectory directory = new InMemoryDirectory().with("ana", "ana@example.org").with("ben", "ben@example.org");
    final VerificationService verifications = new VerificationService(store, new InMemoryCensusStore(),
            new Census("0123456789abcdef0123456789abcdef".getBytes()), new PostalCodes("another-key-another-key-another!".getBytes()),
            directory, VerificationPolicy.DEFAULT, clock);
    final Caller agent = new Caller("agent-1", Set.of(Role.AGENT), Optional.empty(), Optional.of("mairie"));

    void verified(String accountId) {
        var request = verifications.request(new Caller(accountId, Set.of(), Optional.empty(), Optional.empty()),
                new NewRequest(Method.IN_PERSON, "centre", null, null, null));
        verifications.decide(agent, request.id(), true);
    }

    @Test
    void sweep_removesTheGroupOfALapsedVerification_keepsAFreshOne_andARerunChangesNothing() {
        verified("ana");
        clock.advance(Duration.ofDays(200));
        verified("ben");
        clock.advance(Duration.ofDays(166));    // ana's 365 days are over, ben's are not

        var summary = new VerificationExpiry(store, directory).sweep(clock.instant());

        assertThat(summary).isEqualTo(new VerificationExpiry.Summary(1, 0, 0));
        assertThat(directory.groups.get("ana")).doesNotContain(Role.RESIDENT);
        assertThat(directory.groups.get("ben")).contains(Role.RESIDENT);
        assertThat(store.expiredAt).containsOnlyKeys("ana");
        assertThat(new VerificationExpiry(store, directory).sweep(clock.instant())).isEqualTo(new VerificationExpiry.Summary(0, 0, 0));
    }

    @Test
    void aRenewalApprovedWhileTheSweepRemovesTheGroup_keepsIt() {
        verified("ana");
        clock.advance(Duration.ofDays(366));
        // The worst interleaving: the lapse is recorded, then the renewal is approved (and adds the
        // group), then the sweep's removal lands.
        org.territoire.accounts.account.Directory racing = new org.territoire.accounts.account.Directory() {
            public Optional<Profile> profile(String accountId) { return directory.profile(accountId); }
            public void addToGroup(String accountId, Role role) { directory.addToGroup(accountId, role); }
            public void setAttribute(String accountId, String name, String value) { directory.setAttribute(accountId, name, value); }
            public void delete(String accountId) { directory.delete(accountId); }

            public void removeFromGroup(String accountId, Role role) {
                verified(accountId);
                directory.removeFromGroup(accountId, role);
            }
        };

        var summary = new VerificationExpiry(store, racing).sweep(clock.instant());

        assertThat(summary).isEqualTo(new VerificationExpiry.Summary(0, 1, 0));
        assertThat(directory.groups.get("ana")).contains(Role.RESIDENT);
        assertThat(store.verifications.get("ana").validAt(clock.instant())).isTrue();
    }

    @Test
    void aRenewalWrittenBeforeTheLapseIsRecorded_stopsTheSweepBeforeTheGroup() {
        verified("ana");
        clock.advance(Duration.ofDays(366));
        var stale = store.verifications.get("ana");
        verified("ana");

        assertThat(store.recordExpiry(stale, clock.instant())).isFalse();
        assertThat(new VerificationExpiry(store, directory).sweep(clock.instant())).isEqualTo(new VerificationExpiry.Summary(0, 0, 0));
        assertThat(directory.groups.get("ana")).contains(Role.RESIDENT);
    }

    static final class MutableClock extends java.time.Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
