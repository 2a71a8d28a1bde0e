package org.territoire.notifications.push;

/** Sends one encrypted push message; throws {@link org.territoire.shared.ddb.StorageException} (retryable) when the push service says "later". */
public interface Pusher {
    enum Delivery { ACCEPTED, GONE }

    /** @param urgency RFC 8030 §5.3: very-low, low, normal, high */
    Delivery push(PushSubscription to, byte[] plaintext, int ttlSeconds, String urgency);
}
