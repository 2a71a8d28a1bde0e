package org.territoire.notifications.delivery;

import java.time.Instant;
import java.util.Map;
import org.territoire.notifications.preferences.Kind;

/**
 * One thing to tell someone, made from one domain event.
 *
 * @param key what makes it this notice and no other (the event's type, its object, its moment):
 *            the delivery log's key with the recipient, so the same event delivered twice, or
 *            published twice by a retried publisher, is one notice
 * @param topic which message it is ({@link Messages})
 * @param params the ids, states and times the message shows: never anyone's personal data
 */
public record Notice(Kind kind, String key, String topic, Map<String, String> params, Instant at) {
    public Notice {
        params = Map.copyOf(params);
    }
}
