package org.territoire.shared.accounts;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.shared.events.Outbox;

/**
 * A capability's personal data with the events its outbox keeps that name the person (docs/decisions.md, "Domain events
 * after the write"): the export lists them under {@code keptEvents} (what the bus refused and the sweep will publish again,
 * at most 3 days), the erasure forgets them before the rest, so that no event naming the erased account is published
 * after its erasure here.
 */
public final class PersonalDataWithOutbox implements PersonalData {
    private final PersonalData data;
    private final Outbox outbox;

    public PersonalDataWithOutbox(PersonalData data, Outbox outbox) {
        this.data = data;
        this.outbox = outbox;
    }

    @Override
    public String capability() {
        return data.capability();
    }

    @Override
    public Map<String, Object> export(String accountId) {
        Map<String, Object> export = new LinkedHashMap<>(data.export(accountId));
        List<Map<String, Object>> kept = outbox.naming(accountId).stream().map(k -> {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("detailType", k.detailType());
            event.put("keptAt", k.keptAt().toString());
            event.put("detail", k.detail());
            return event;
        }).toList();
        export.put("keptEvents", kept);
        if (export.get("readme") instanceof String readme) {
            export.put("readme", readme + " keptEvents: the events about you that the territory's bus refused, waiting (at most 3 days)"
                    + " for this capability's sweep to send them again.");
        }
        return export;
    }

    @Override
    public Map<String, Integer> erase(String accountId, Instant deletedAt) {
        int forgotten = outbox.forget(accountId);
        Map<String, Integer> erased = new LinkedHashMap<>(data.erase(accountId, deletedAt));
        erased.put("keptEvents", forgotten);
        return erased;
    }
}
