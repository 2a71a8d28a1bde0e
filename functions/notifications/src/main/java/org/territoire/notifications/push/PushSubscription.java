package org.territoire.notifications.push;

import java.time.Instant;

/**
 * A browser's push subscription (the Push API's {@code PushSubscription}): where to send, and
 * the two keys the message is encrypted to (RFC 8291).
 *
 * @param id       derived from the endpoint, so the same browser subscribing twice is one subscription
 * @param p256dh   the browser's public key, an uncompressed P-256 point (65 bytes)
 * @param auth     the browser's auth secret (16 bytes)
 */
public record PushSubscription(String id, String endpoint, byte[] p256dh, byte[] auth, Instant createdAt) {
}
