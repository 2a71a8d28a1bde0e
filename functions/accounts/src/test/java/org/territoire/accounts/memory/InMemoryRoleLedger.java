package org.territoire.accounts.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.roles.RoleLedger;

/** The role ledger in memory: the standing and the history entry change together, under one lock. */
public final class InMemoryRoleLedger implements RoleLedger {
    public final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> standing = new HashMap<>();

    @Override
    public synchronized void record(Entry change) {
        entries.add(change);
        standing.put(change.accountId() + "#" + change.role(), change);
    }

    @Override
    public synchronized Optional<Entry> standing(String accountId, String role) {
        return Optional.ofNullable(standing.get(accountId + "#" + role));
    }

    @Override
    public synchronized List<Entry> history(String accountId) {
        return entries.stream().filter(e -> e.accountId().equals(accountId)).sorted(Comparator.comparing(Entry::at).reversed()).toList();
    }
}
