package org.territoire.notifications.delivery;

import java.time.Instant;
import java.util.List;

/**
 * What was sent, or held for the digest, to whom: each entry is written by one conditional
 * write before anything is sent, so a second delivery of the same event finds it and sends
 * nothing.
 */
public interface DeliveryLog {
    /** Records that this notice goes to this person now; false when it already went (or was held). */
    boolean claim(String recipient, Notice notice);

    /** Undoes a claim whose sending failed, so the retried event may send it. */
    void release(String recipient, Notice notice);

    /** Claims the notice and holds it for the person's next digest, in one transaction; false when it already was. */
    boolean hold(String recipient, Notice notice);

    /** The people with notices held. */
    List<String> withHeld();

    /** The notices held for the person, oldest first (at most a digest's worth). */
    List<Notice> held(String recipient);

    /**
     * Claims the person's digest of this day and removes the notices it gathers, in one
     * transaction; false when this day's digest was already claimed.
     */
    boolean takeDigest(String recipient, String day, List<Notice> notices, Instant at);

    /** Undoes {@link #takeDigest} when sending failed: the claim goes, the notices are held again. */
    void returnDigest(String recipient, String day, List<Notice> notices);
}
