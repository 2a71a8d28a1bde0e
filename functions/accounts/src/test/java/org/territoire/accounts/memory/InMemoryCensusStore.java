package org.territoire.accounts.memory;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.verification.CensusStore;

public final class InMemoryCensusStore implements CensusStore {
    public final Map<String, String> districts = new HashMap<>();
    public final Map<String, String> claims = new HashMap<>();
    public final Map<String, Integer> attempts = new HashMap<>();

    @Override
    public synchronized int load(List<Entry> entries) {
        entries.forEach(e -> districts.put(e.hmac(), e.district()));
        return entries.size();
    }

    @Override
    public synchronized Optional<String> district(String hmac) {
        return Optional.ofNullable(districts.get(hmac));
    }

    @Override
    public synchronized boolean claim(String hmac, String accountId) {
        if (!districts.containsKey(hmac)) {
            return false;
        }
        String holder = claims.putIfAbsent(hmac, accountId);
        return holder == null || holder.equals(accountId);
    }

    @Override
    public synchronized void release(String accountId) {
        claims.values().removeIf(accountId::equals);
    }

    @Override
    public synchronized boolean countAttempt(String accountId, LocalDate day, int limit) {
        String key = accountId + "#" + day;
        int count = attempts.getOrDefault(key, 0);
        if (count >= limit) {
            return false;
        }
        attempts.put(key, count + 1);
        return true;
    }
}
