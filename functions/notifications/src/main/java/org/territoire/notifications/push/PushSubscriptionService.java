package org.territoire.notifications.push;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** A person's own browsers' push subscriptions: added after strict checks, removed by id. */
public final class PushSubscriptionService {
    /** Browsers per person: a phone, a laptop, a tablet, a work computer and one to spare. */
    public static final int MAX_PER_PERSON = 5;

    private final PushSubscriptions store;
    private final PushEndpoints endpoints;
    private final Optional<VapidKeys> keys;
    private final Clock clock;

    public PushSubscriptionService(PushSubscriptions store, PushEndpoints endpoints, Optional<VapidKeys> keys, Clock clock) {
        this.store = store;
        this.endpoints = endpoints;
        this.keys = keys;
        this.clock = clock;
    }

    /** The browser's {@code PushSubscription.toJSON()}. */
    public record Subscribe(String endpoint, Long expirationTime, Keys keys) {
    }

    public record Keys(String p256dh, String auth) {
    }

    public record Added(PushSubscription subscription, boolean created) {
    }

    public Added subscribe(Caller caller, Subscribe body) {
        if (body == null) {
            throw DomainError.invalid("endpoint", "is required");
        }
        endpoints.refusal(body.endpoint()).ifPresent(why -> {
            throw DomainError.invalid("endpoint", why);
        });
        if (body.keys() == null) {
            throw DomainError.invalid("keys", "is required: p256dh and auth");
        }
        byte[] p256dh = WebPushCrypto.unb64(body.keys().p256dh());
        if (!WebPushCrypto.isP256Point(p256dh)) {
            throw DomainError.invalid("keys.p256dh", "must be an uncompressed P-256 point (65 bytes) in base64url");
        }
        byte[] auth = WebPushCrypto.unb64(body.keys().auth());
        if (auth == null || auth.length != 16) {
            throw DomainError.invalid("keys.auth", "must be 16 bytes in base64url");
        }
        PushSubscription s = new PushSubscription(idOf(body.endpoint()), body.endpoint(), p256dh, auth, clock.instant());
        return switch (store.addSubscription(caller.id(), s, MAX_PER_PERSON)) {
            case NEW -> new Added(s, true);
            case RENEWED -> new Added(s, false);
            case FULL -> throw DomainError.ruleViolated("a person has at most " + MAX_PER_PERSON
                    + " push subscriptions: remove one first", Map.of("limit", MAX_PER_PERSON));
        };
    }

    public void unsubscribe(Caller caller, String id) {
        if (!id.matches("[0-9a-f]{32}") || !store.removeSubscription(caller.id(), id)) {
            throw DomainError.notFound("no such push subscription");
        }
    }

    public String publicKey() {
        return keys.map(VapidKeys::publicKeyText)
                .orElseThrow(() -> DomainError.unavailable("push notifications are not configured yet"));
    }

    /** The endpoint's SHA-256, first 16 bytes in hex: the same browser is the same subscription. */
    static String idOf(String endpoint) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(endpoint.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(Arrays.copyOf(h, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
