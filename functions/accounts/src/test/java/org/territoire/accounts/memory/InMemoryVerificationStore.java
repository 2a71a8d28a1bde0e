package org.territoire.accounts.memory;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.verification.RequestStatus;
import org.territoire.accounts.verification.Verification;
import org.territoire.accounts.verification.VerificationRequest;
import org.territoire.accounts.verification.VerificationStore;
import org.territoire.shared.page.Page;

/** The verification store's conditions, in memory (one lock stands for DynamoDB's conditional writes). */
public final class InMemoryVerificationStore implements VerificationStore, org.territoire.accounts.verification.ExpiryStore {
    public final Map<String, VerificationRequest> requests = new HashMap<>();
    public final Map<String, Verification> verifications = new HashMap<>();
    private final Map<String, String> openByAccount = new HashMap<>();
    /** When the sweep found an account's verification lapsed; settled ones have left the expiry index. */
    public final Map<String, Instant> expiredAt = new HashMap<>();
    public final java.util.Set<String> settled = new java.util.HashSet<>();

    @Override
    public synchronized boolean open(VerificationRequest request) {
        if (openByAccount.containsKey(request.accountId())) {
            return false;
        }
        openByAccount.put(request.accountId(), request.id());
        requests.put(request.id(), request);
        return true;
    }

    @Override
    public synchronized Optional<VerificationRequest> request(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    @Override
    public synchronized Page<VerificationRequest> open(int limit, Optional<String> nextToken) {
        return new Page<>(requests.values().stream().filter(r -> r.status().open())
                .sorted(Comparator.comparing(VerificationRequest::createdAt)).limit(limit).toList(), null);
    }

    @Override
    public synchronized List<VerificationRequest> ofAccount(String accountId) {
        return requests.values().stream().filter(r -> r.accountId().equals(accountId)).toList();
    }

    @Override
    public synchronized boolean decide(VerificationRequest decided, RequestStatus expected, Optional<Verification> verification) {
        VerificationRequest now = requests.get(decided.id());
        if (now == null || now.status() != expected) {
            return false;
        }
        requests.put(decided.id(), decided);
        openByAccount.remove(decided.accountId());
        verification.ifPresent(v -> {
            verifications.put(v.accountId(), v);
            expiredAt.remove(v.accountId());
            settled.remove(v.accountId());
        });
        return true;
    }

    @Override
    public synchronized boolean letterSent(VerificationRequest sent) {
        VerificationRequest now = requests.get(sent.id());
        if (now == null || now.status() != RequestStatus.PENDING) {
            return false;
        }
        requests.put(sent.id(), sent);
        return true;
    }

    @Override
    public synchronized Optional<Integer> spendTry(String requestId, Instant now) {
        VerificationRequest r = requests.get(requestId);
        if (r == null || r.status() != RequestStatus.LETTER_SENT || r.triesLeft() <= 0
                || r.codeExpiresAt().map(e -> !e.isAfter(now)).orElse(true)) {
            return Optional.empty();
        }
        requests.put(requestId, r.withTriesLeft(r.triesLeft() - 1));
        return Optional.of(r.triesLeft() - 1);
    }

    @Override
    public synchronized Optional<Verification> verification(String accountId) {
        return Optional.ofNullable(verifications.get(accountId));
    }

    @Override
    public synchronized void erase(String accountId) {
        requests.values().removeIf(r -> r.accountId().equals(accountId));
        verifications.remove(accountId);
        openByAccount.remove(accountId);
    }

    @Override
    public void eachExpired(Instant now, java.util.function.Consumer<Verification> action) {
        List<Verification> lapsed;
        synchronized (this) {
            lapsed = verifications.values().stream().filter(v -> !v.expiresAt().isAfter(now) && !settled.contains(v.accountId()))
                    .sorted(Comparator.comparing(Verification::expiresAt)).toList();
        }
        lapsed.forEach(action);
    }

    @Override
    public synchronized boolean recordExpiry(Verification seen, Instant now) {
        Verification v = verifications.get(seen.accountId());
        if (v == null || !v.expiresAt().equals(seen.expiresAt()) || settled.contains(seen.accountId())) {
            return false;
        }
        expiredAt.putIfAbsent(seen.accountId(), now);
        return true;
    }

    @Override
    public synchronized boolean settled(Verification seen) {
        Verification v = verifications.get(seen.accountId());
        if (v == null || !v.expiresAt().equals(seen.expiresAt()) || !expiredAt.containsKey(seen.accountId())) {
            return false;
        }
        settled.add(seen.accountId());
        return true;
    }

    @Override
    public synchronized Optional<Verification> current(String accountId) {
        return Optional.ofNullable(verifications.get(accountId));
    }
}
