package org.territoire.notifications.push;

import java.util.List;

/** Where a person's push subscriptions are kept (the notifications table). */
public interface PushSubscriptions {
    enum Added { NEW, RENEWED, FULL }

    /** Adds or renews (same endpoint: new keys) one; FULL, writing nothing, when the person already has {@code max}. */
    Added addSubscription(String accountId, PushSubscription subscription, int max);

    /** False when the person has no such subscription. */
    boolean removeSubscription(String accountId, String id);

    List<PushSubscription> subscriptions(String accountId);
}
