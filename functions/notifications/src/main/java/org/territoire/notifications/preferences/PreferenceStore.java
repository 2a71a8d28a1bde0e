package org.territoire.notifications.preferences;

import java.util.List;
import java.util.Optional;

/** Where preferences are kept (the notifications table). */
public interface PreferenceStore {
    Optional<Preferences> find(String accountId);

    /** Replaces the person's preferences whole. */
    void save(Preferences preferences);

    /** One kind's frequency, in one write, leaving the others as they are (an unsubscribe). */
    void set(String accountId, Kind kind, Frequency frequency, java.time.Instant at);

    /** Those whose saved preferences name this district. */
    List<String> inDistrict(String district);

    /** Those whose saved preferences name this organisation (operators). */
    List<String> inOrganisation(String organisationId);

    /** Everyone with saved preferences (a territory-wide consultation). */
    List<String> everyone();

    /** Forgets the person: preferences, delivery log, held notices, push subscriptions. */
    void erase(String accountId);
}
