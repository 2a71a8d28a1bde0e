package org.territoire.notifications;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.notifications.preferences.PreferenceService;
import org.territoire.notifications.preferences.Preferences;
import org.territoire.notifications.push.PushSubscription;
import org.territoire.notifications.push.PushSubscriptionService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiPriming;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.IdempotencyStore;

/**
 * The notifications capability's API: a person's own preferences, and the one-click unsubscribe
 * that every email's {@code List-Unsubscribe} header names (RFC 8058). The unsubscribe route is
 * anonymous (a mail provider calls it, with no token of ours) and trusts only the signed token
 * in its query; the template throttles it like the other anonymous routes.
 */
public final class NotificationsHandler extends ApiHandler implements Resource {
    private final PreferenceService preferences;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public NotificationsHandler() {
        this(Wiring.fromEnvironment());
    }

    private NotificationsHandler(Wiring wiring) {
        this(wiring.preferences(), wiring.pushSubscriptions(), wiring.idempotency());
        Core.getGlobalContext().register(this);
    }

    /** For tests. */
    public NotificationsHandler(PreferenceService preferences, PushSubscriptionService push, IdempotencyStore idempotency) {
        super(new Router(), idempotency);
        this.preferences = preferences;
        router().get("/me/notifications", Access.SIGNED_IN, r -> ApiResponse.ok(view(preferences.view(r.caller()))))
                .put("/me/notifications", Access.SIGNED_IN, r -> {
                    Update update = r.body(Update.class);
                    if (update == null || update.preferences() == null) {
                        throw DomainError.invalid("preferences", "is required: an object of kinds and frequencies");
                    }
                    return ApiResponse.ok(view(preferences.update(r.caller(), update.preferences())));
                })
                // RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" (a form) to the header's URI;
                // the token in the query is all this route reads, so the body's type does not matter.
                .post("/notifications/unsubscribe", Access.ANYONE, r -> {
                    preferences.unsubscribe(r.query("token").orElseThrow(() -> DomainError.invalid("token", "is required")));
                    return ApiResponse.noContent();
                })
                // Web Push (RFC 8030, 8291, 8292): the browser's subscription, kept until it is removed or its push service says 410.
                .post("/me/notifications/push-subscriptions", Access.SIGNED_IN, r -> {
                    PushSubscriptionService.Added added = push.subscribe(r.caller(), r.body(PushSubscriptionService.Subscribe.class));
                    Map<String, Object> view = pushView(added.subscription());
                    return added.created() ? ApiResponse.created(view, "/me/notifications/push-subscriptions/" + added.subscription().id())
                            : ApiResponse.ok(view);
                })
                .delete("/me/notifications/push-subscriptions/{id}", Access.SIGNED_IN, r -> {
                    push.unsubscribe(r.caller(), r.path("id"));
                    return ApiResponse.noContent();
                })
                // The application server's public key, which pushManager.subscribe needs before anyone signs in.
                .get("/notifications/vapid-public-key", Access.ANYONE, r -> ApiResponse.ok(Map.of("publicKey", push.publicKey())));
    }

    /** What a subscription shows: not its keys (the browser has them; they are only for encrypting to it). */
    static Map<String, Object> pushView(PushSubscription s) {
        return Map.of("id", s.id(), "endpointOrigin", java.net.URI.create(s.endpoint()).getScheme() + "://"
                + java.net.URI.create(s.endpoint()).getRawAuthority(), "createdAt", org.territoire.shared.json.Json.time(s.createdAt()));
    }

    record Update(Map<String, String> preferences) {
    }

    /** The API's view: every kind with its frequency, defaults included. */
    static Map<String, Object> view(Preferences p) {
        Map<String, Object> kinds = new LinkedHashMap<>();
        p.all().forEach((k, f) -> kinds.put(k.field(), f.name()));
        return Map.of("preferences", kinds);
    }

    /** SnapStart: a real read (a GetItem of nobody's preferences) before the snapshot. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        ApiPriming.prime(this, ApiPriming.get("/me/notifications", Map.of()));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }
}
