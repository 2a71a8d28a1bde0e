package org.territoire.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.notifications.delivery.Directory;
import org.territoire.notifications.delivery.Mailer;
import org.territoire.notifications.delivery.NotificationService;
import org.territoire.notifications.memory.InMemoryNotificationStore;
import org.territoire.notifications.preferences.UnsubscribeTokens;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.json.Json;

/** The push side of a notice: once per subscription, a 429 retried without a second mail, a 410 deleting. */
@Tag("unit")
class WebPushDeliveryTest {
    private final InMemoryNotificationStore store = new InMemoryNotificationStore();
    private final Map<String, PushSubscription> subscriptions = new LinkedHashMap<>();
    private final List<Mailer.Mail> mails = new ArrayList<>();
    private final List<String> pushes = new ArrayList<>();
    private Pusher.Delivery answer = Pusher.Delivery.ACCEPTED;
    private boolean busy;

    private final PushSubscriptions subs = new PushSubscriptions() {
        @Override
        public Added addSubscription(String accountId, PushSubscription s, int max) {
            subscriptions.put(s.id(), s);
            return Added.NEW;
        }

        @Override
        public boolean removeSubscription(String accountId, String id) {
            return subscriptions.remove(id) != null;
        }

        @Override
        public List<PushSubscription> subscriptions(String accountId) {
            return List.copyOf(subscriptions.values());
        }
    };

    private final NotificationService service = new NotificationService(store, store,
            id -> Optional.of(new Directory.Recipient(id, id + "@example.org", Optional.empty())), mails::add, ZoneId.of("Europe/Paris"),
            new UnsubscribeTokens(new byte[32]), "https://api.example.org/notifications/unsubscribe",
            Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC), subs, (to, plaintext, ttl, urgency) -> {
                if (busy) {
                    throw StorageException.busy("push service answered 429", null);
                }
                pushes.add(to.id() + " " + new String(plaintext, StandardCharsets.UTF_8));
                return answer;
            });

    private static com.fasterxml.jackson.databind.JsonNode statusChanged() {
        return Json.tree("""
                {"source":"territoire.feedback","detail-type":"Report Status Changed","detail":{"reportId":"r1","status":"RESOLVED",
                 "previousStatus":"IN_PROGRESS","changedAt":"2026-12-01T07:59:00.000Z","recipients":["a"]}}""");
    }

    private void subscribe(String id) {
        subscriptions.put(id, new PushSubscription(id, "https://push.example.org/" + id, new byte[65], new byte[16], Instant.EPOCH));
    }

    @Test
    void eachBrowserGetsTheSubjectOnce_andTheSameEventAgainPushesNothing() {
        subscribe("phone");
        subscribe("laptop");
        service.handle(statusChanged());
        service.handle(statusChanged());
        assertThat(mails).hasSize(1);
        assertThat(pushes).containsExactly(
                "phone {\"title\":\"Votre signalement a changé d'état : résolu\",\"kind\":\"reports\",\"lang\":\"fr\"}",
                "laptop {\"title\":\"Votre signalement a changé d'état : résolu\",\"kind\":\"reports\",\"lang\":\"fr\"}");
    }

    @Test
    void aBusyPushService_failsTheInvocation_andTheRetryPushesWithoutASecondMail() {
        subscribe("phone");
        busy = true;
        assertThatThrownBy(() -> service.handle(statusChanged())).isInstanceOf(StorageException.class);
        assertThat(mails).hasSize(1);
        busy = false;
        service.handle(statusChanged());
        assertThat(mails).as("the mail went on the first attempt").hasSize(1);
        assertThat(pushes).hasSize(1);
    }

    @Test
    void aGoneSubscription_isDeleted() {
        subscribe("phone");
        answer = Pusher.Delivery.GONE;
        service.handle(statusChanged());
        assertThat(subscriptions).isEmpty();
    }
}
