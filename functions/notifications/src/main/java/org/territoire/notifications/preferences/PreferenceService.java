package org.territoire.notifications.preferences;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.identity.Caller;

/** A person's own preferences ({@code GET/PUT /me/notifications}) and the one-click unsubscribe. */
public final class PreferenceService {
    private final PreferenceStore store;
    private final UnsubscribeTokens tokens;
    private final Clock clock;

    public PreferenceService(PreferenceStore store, UnsubscribeTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    public Preferences view(Caller caller) {
        return store.find(caller.id()).orElseGet(() -> Preferences.none(caller.id()));
    }

    /**
     * Sets the kinds named (the others keep their choice) and records the audiences the caller's
     * token names today: their district, and their organisation when they operate for one.
     */
    public Preferences update(Caller caller, Map<String, String> wanted) {
        if (wanted == null || wanted.isEmpty()) {
            throw DomainError.invalid("preferences", "is required: an object of kinds and frequencies");
        }
        Map<Kind, Frequency> chosen = new EnumMap<>(Kind.class);
        chosen.putAll(view(caller).chosen());
        List<FieldError> errors = new java.util.ArrayList<>();
        wanted.forEach((field, value) -> {
            var kind = Kind.ofField(field);
            if (kind.isEmpty()) {
                errors.add(new FieldError("preferences." + field, "is not a kind of notice"));
                return;
            }
            try {
                chosen.put(kind.get(), Frequency.valueOf(value == null ? "" : value));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("preferences." + field, "must be IMMEDIATELY, DAILY_DIGEST or NEVER"));
            }
        });
        if (!errors.isEmpty()) {
            throw DomainError.invalid(errors);
        }
        boolean operator = caller.hasAny(org.territoire.shared.identity.Role.PROVIDER, org.territoire.shared.identity.Role.AGENT,
                org.territoire.shared.identity.Role.ADMIN);
        Preferences saved = new Preferences(caller.id(), chosen, caller.district(),
                operator ? caller.organisation() : java.util.Optional.empty(), clock.instant());
        store.save(saved);
        return saved;
    }

    /** The one-click unsubscribe (RFC 8058): a genuine token turns its kind off for its account. */
    public void unsubscribe(String token) {
        var subject = tokens.verify(token).orElseThrow(() -> DomainError.invalid("token", "is not an unsubscribe token this service issued"));
        store.set(subject.accountId(), subject.kind(), Frequency.NEVER, clock.instant());
    }

    public UnsubscribeTokens tokens() {
        return tokens;
    }
}
