package org.territoire.feedback.loop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.events.DomainEvents;

/** The bus in memory: what was published, in order; {@link #refusing} makes it fail as an unavailable bus does. */
final class RecordingEvents implements DomainEvents {
    record Event(String detailType, Map<String, Object> detail) {
    }

    final List<Event> published = new CopyOnWriteArrayList<>();
    volatile boolean refusing;

    @Override
    public void publish(String detailType, Map<String, Object> detail) {
        if (refusing) {
            throw StorageException.busy("the event bus is unavailable", null);
        }
        published.add(new Event(detailType, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(detail))));
    }

    List<Event> of(String detailType) {
        return published.stream().filter(e -> e.detailType().equals(detailType)).toList();
    }
}
