package org.territoire.shared.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Observability;

/**
 * One capability's consumer of the accounts capability's events (see {@link AccountEvent}).
 *
 * <p>Unlike the occupancy consumer, which acknowledges an event it cannot handle, an erasure
 * or an export must not be lost: only a malformed event (which no retry can mend) is logged,
 * counted ({@code AccountEventsRejected}) and acknowledged; any failure is thrown, so that
 * Lambda retries the invocation and then keeps its record in the dead-letter queue, whose
 * alarm calls an operator to redrive it. Both operations are idempotent, so a retry or a
 * redelivery is harmless. Logs carry the event id and counts, never the account id.
 */
public final class AccountEventsProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(AccountEventsProcessor.class);

    private final PersonalData data;
    private final ExportSink exports;
    private final java.time.Clock clock;

    public AccountEventsProcessor(PersonalData data, ExportSink exports, java.time.Clock clock) {
        this.data = data;
        this.exports = exports;
        this.clock = clock;
    }

    public Map<String, Object> handle(JsonNode event) {
        String eventId = event.path("id").asText("");
        if (!AccountEvent.SOURCE.equals(event.path("source").asText())) {
            return rejected(eventId, "source must be " + AccountEvent.SOURCE);
        }
        AccountEvent parsed;
        try {
            parsed = AccountEvent.parse(event);
        } catch (DomainError e) {
            return rejected(eventId, e.detail());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("capability", data.capability());
        switch (parsed) {
            case AccountEvent.Deleted deleted -> {
                Map<String, Integer> done = data.erase(deleted.accountId(), deleted.deletedAt());
                LOG.info("event {}: account erased from {}: {}", eventId, data.capability(), done);
                Observability.count("AccountsErased");
                result.put("erased", done);
            }
            case AccountEvent.ExportRequested requested -> {
                Map<String, Object> document = document(requested);
                exports.write(requested.exportId(), data.capability(), Json.write(document));
                LOG.info("event {}: export {} written by {}", eventId, requested.exportId(), data.capability());
                Observability.count("AccountsExported");
                result.put("exported", ExportSink.key(requested.exportId(), data.capability()));
            }
        }
        return result;
    }

    private Map<String, Object> document(AccountEvent.ExportRequested requested) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("capability", data.capability());
        document.put("exportId", requested.exportId());
        document.put("generatedAt", org.territoire.shared.json.Json.time(clock.instant()));
        document.putAll(data.export(requested.accountId()));
        return document;
    }

    /**
     * SnapStart priming: the export path of {@code event} (an {@code Account Export Requested} of an
     * account nobody has, see EventPriming#ACCOUNT_EXPORT): parsed, the capability's data read and the
     * document rendered, but not written, neither logged nor counted. Returns the document's JSON.
     */
    public String primeExport(JsonNode event) {
        if (!(AccountEvent.parse(event) instanceof AccountEvent.ExportRequested requested)) {
            throw new IllegalArgumentException("priming reads an export, never an erasure");
        }
        return Json.write(document(requested));
    }

    private static Map<String, Object> rejected(String eventId, String reason) {
        LOG.warn("event {} rejected: {}", eventId, reason);
        Observability.count("AccountEventsRejected");
        return Map.of("rejected", reason);
    }
}
