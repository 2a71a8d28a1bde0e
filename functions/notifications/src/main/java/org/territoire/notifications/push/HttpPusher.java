package org.territoire.notifications.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.ddb.StorageException;

/**
 * RFC 8030 §5: POST the encrypted message to the subscription's endpoint, with VAPID
 * (RFC 8292 §3: {@code Authorization: vapid t=<JWT>, k=<public key>}), TTL and Urgency. No
 * redirect is followed (a redirect could point anywhere, SSRF) and the endpoint is checked again
 * right before the request.
 */
public final class HttpPusher implements Pusher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPusher.class);
    /** RFC 8292 §2: exp no more than 24 hours ahead; 12 leaves room for clock skew. */
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final VapidKeys keys;
    private final PushEndpoints endpoints;
    private final Clock clock;

    public HttpPusher(VapidKeys keys, PushEndpoints endpoints, Clock clock) {
        this.keys = keys;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    @Override
    public Delivery push(PushSubscription to, byte[] plaintext, int ttlSeconds, String urgency) {
        if (endpoints.refusal(to.endpoint()).isPresent()) {
            LOG.warn("push subscription {} names an endpoint no longer allowed; dropped", to.id());
            return Delivery.GONE;
        }
        URI endpoint = URI.create(to.endpoint());
        String audience = endpoint.getScheme() + "://" + endpoint.getRawAuthority();
        String jwt = WebPushCrypto.vapidToken(keys.privateKey(), audience, clock.instant().plus(TOKEN_LIFETIME).getEpochSecond(), keys.subject());
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Authorization", "vapid t=" + jwt + ", k=" + keys.publicKeyText())
                .header("Content-Encoding", "aes128gcm")
                .header("Content-Type", "application/octet-stream")
                .header("TTL", Integer.toString(ttlSeconds))
                .header("Urgency", urgency)
                .POST(HttpRequest.BodyPublishers.ofByteArray(WebPushCrypto.encrypt(to.p256dh(), to.auth(), plaintext)))
                .build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw StorageException.busy("push service unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.busy("interrupted", e);
        }
        int status = response.statusCode();
        if (status == 404 || status == 410) {
            return Delivery.GONE; // RFC 8030 §7.3: the subscription expired or was withdrawn
        }
        if (status == 429 || status >= 500) {
            throw StorageException.busy("push service answered " + status, null);
        }
        if (status >= 300) {
            // 400/401/403/413: our request is wrong (key, token, size); a retry would fail the same way.
            LOG.warn("push service refused a message to subscription {}: {}", to.id(), status);
            return Delivery.ACCEPTED;
        }
        return Delivery.ACCEPTED;
    }
}
