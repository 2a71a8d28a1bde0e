package org.territoire.notifications.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.territoire.notifications.delivery.DeliveryLog;
import org.territoire.notifications.delivery.Notice;
import org.territoire.notifications.preferences.Frequency;
import org.territoire.notifications.preferences.Kind;
import org.territoire.notifications.preferences.PreferenceStore;
import org.territoire.notifications.preferences.Preferences;

/** The notifications table's ports in memory, with the same conditions as the DynamoDB adapter. */
public final class InMemoryNotificationStore implements PreferenceStore, DeliveryLog {
    private final Map<String, Preferences> preferences = new ConcurrentHashMap<>();
    private final Set<String> log = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Notice>> held = new ConcurrentHashMap<>();
    private final Set<String> digests = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<Preferences> find(String accountId) {
        return Optional.ofNullable(preferences.get(accountId));
    }

    @Override
    public void save(Preferences p) {
        preferences.put(p.accountId(), p);
    }

    @Override
    public void set(String accountId, Kind kind, Frequency frequency, Instant at) {
        Preferences p = preferences.getOrDefault(accountId, Preferences.none(accountId));
        Map<Kind, Frequency> chosen = new EnumMap<>(Kind.class);
        chosen.putAll(p.chosen());
        chosen.put(kind, frequency);
        preferences.put(accountId, new Preferences(accountId, chosen, p.district(), p.organisation(), at));
    }

    @Override
    public List<String> inDistrict(String district) {
        return preferences.values().stream().filter(p -> p.district().equals(Optional.of(district))).map(Preferences::accountId).toList();
    }

    @Override
    public List<String> inOrganisation(String organisationId) {
        return preferences.values().stream().filter(p -> p.organisation().equals(Optional.of(organisationId)))
                .map(Preferences::accountId).toList();
    }

    @Override
    public List<String> everyone() {
        return List.copyOf(preferences.keySet());
    }

    @Override
    public void erase(String accountId) {
        preferences.remove(accountId);
        log.removeIf(k -> k.startsWith(accountId + "|"));
        held.remove(accountId);
    }

    @Override
    public boolean claim(String recipient, Notice notice) {
        return log.add(recipient + "|" + notice.key());
    }

    @Override
    public void release(String recipient, Notice notice) {
        log.remove(recipient + "|" + notice.key());
    }

    @Override
    public synchronized boolean hold(String recipient, Notice notice) {
        if (!claim(recipient, notice)) {
            return false;
        }
        held.computeIfAbsent(recipient, k -> new ArrayList<>()).add(notice);
        return true;
    }

    @Override
    public List<String> withHeld() {
        return held.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    @Override
    public List<Notice> held(String recipient) {
        return List.copyOf(held.getOrDefault(recipient, List.of()));
    }

    @Override
    public synchronized boolean takeDigest(String recipient, String day, List<Notice> notices, Instant at) {
        if (!digests.add(recipient + "|" + day)) {
            return false;
        }
        held.getOrDefault(recipient, new ArrayList<>()).removeAll(notices);
        return true;
    }

    @Override
    public synchronized void returnDigest(String recipient, String day, List<Notice> notices) {
        digests.remove(recipient + "|" + day);
        held.computeIfAbsent(recipient, k -> new ArrayList<>()).addAll(notices);
    }
}
