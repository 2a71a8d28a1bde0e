package org.territoire.accounts.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.accounts.account.AccountEvents;
import org.territoire.accounts.account.AccountStore;
import org.territoire.accounts.account.ExportParts;

/** The account store, the bus and the export bucket, in memory. */
public final class InMemoryAccounts implements AccountStore, AccountEvents, ExportParts {
    public record Event(String detailType, String accountId, String id, Instant at) {
    }

    public final Map<String, Instant> deletions = new HashMap<>();
    public final Map<String, Instant> exports = new HashMap<>();
    public final List<Event> events = new ArrayList<>();
    public final Map<String, Map<String, JsonNode>> parts = new HashMap<>();

    @Override
    public synchronized Instant recordDeletion(String accountId, Instant at) {
        return deletions.computeIfAbsent(accountId, k -> at);
    }

    @Override
    public synchronized void recordExport(String accountId, String exportId, Instant at) {
        exports.put(accountId + "/" + exportId, at);
    }

    @Override
    public synchronized Optional<Instant> export(String accountId, String exportId) {
        return Optional.ofNullable(exports.get(accountId + "/" + exportId));
    }

    @Override
    public synchronized void deleted(String accountId, Instant deletedAt) {
        events.add(new Event(DELETED, accountId, null, deletedAt));
    }

    @Override
    public synchronized void exportRequested(String accountId, String exportId, Instant requestedAt) {
        events.add(new Event(EXPORT_REQUESTED, accountId, exportId, requestedAt));
    }

    @Override
    public synchronized Map<String, JsonNode> read(String exportId) {
        return Map.copyOf(parts.getOrDefault(exportId, Map.of()));
    }

    public final Map<String, byte[]> published = new java.util.HashMap<>();

    @Override
    public synchronized Download publish(String exportId, byte[] assembled, java.time.Duration validFor) {
        published.putIfAbsent(exportId, assembled);
        return new Download(java.net.URI.create("memory://exports/" + exportId), java.time.Instant.EPOCH.plus(validFor));
    }
}
