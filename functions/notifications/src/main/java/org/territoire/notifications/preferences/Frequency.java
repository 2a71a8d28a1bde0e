package org.territoire.notifications.preferences;

/** How a person wants one kind of notice: at once, gathered in the daily digest, or not at all. */
public enum Frequency {
    IMMEDIATELY, DAILY_DIGEST, NEVER
}
