package org.territoire.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.notifications.delivery.Directory;
import org.territoire.notifications.delivery.Mailer;
import org.territoire.notifications.delivery.NotificationService;
import org.territoire.notifications.memory.InMemoryNotificationStore;
import org.territoire.notifications.preferences.Frequency;
import org.territoire.notifications.preferences.Kind;
import org.territoire.notifications.preferences.UnsubscribeTokens;
import org.territoire.shared.json.Json;

@Tag("unit")
class NotificationServiceTest {
    private final InMemoryNotificationStore store = new InMemoryNotificationStore();
    private final Map<String, Directory.Recipient> pool = new HashMap<>();
    private final List<Mailer.Mail> sent = new ArrayList<>();
    private boolean sesDown;
    private final UnsubscribeTokens tokens = new UnsubscribeTokens(new byte[32]);
    private final NotificationService service = new NotificationService(store, store, id -> Optional.ofNullable(pool.get(id)), mail -> {
        if (sesDown) {
            throw new IllegalStateException("SES is unavailable");
        }
        sent.add(mail);
    }, ZoneId.of("Europe/Paris"), tokens, "https://api.example.org/notifications/unsubscribe",
            Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC));

    private void person(String id, String locale) {
        pool.put(id, new Directory.Recipient(id, id + "@example.org", Optional.ofNullable(locale)));
    }

    private static JsonNode statusChanged(String... recipients) {
        return Json.tree("""
                {"source":"territoire.feedback","detail-type":"Report Status Changed","detail":{"reportId":"r1","status":"RESOLVED",
                 "previousStatus":"IN_PROGRESS","publicNote":"Réparé","changedAt":"2026-12-01T07:59:00.000Z","recipients":%s}}"""
                .formatted(Json.write(List.of(recipients))));
    }

    @Test
    void aStatusChange_toFourPeople_sendsFourMails_andTheSameEventAgainSendsNone() {
        for (String id : List.of("a", "b", "c", "d")) {
            person(id, id.equals("d") ? "en-GB" : null);
        }
        assertThat(service.handle(statusChanged("a", "b", "c", "d")).sent()).isEqualTo(4);
        NotificationService.Outcome again = service.handle(statusChanged("a", "b", "c", "d"));
        assertThat(again.sent()).isZero();
        assertThat(again.duplicates()).isEqualTo(4);
        assertThat(sent).hasSize(4);
        assertThat(sent.get(0).subject()).isEqualTo("Votre signalement a changé d'état : résolu");
        assertThat(sent.get(3).subject()).isEqualTo("Your report changed status: resolved");
        assertThat(sent.get(0).body()).contains("Réparé").contains("r1").doesNotContain("b@example.org");
        assertThat(tokens.verify(sent.get(0).unsubscribeUrl().split("token=")[1]))
                .contains(new UnsubscribeTokens.Subject("a", Kind.REPORTS));
    }

    @Test
    void aFailedSend_releasesItsClaim_soTheRetrySendsIt() {
        person("a", null);
        sesDown = true;
        assertThatThrownBy(() -> service.handle(statusChanged("a"))).hasMessageContaining("SES");
        sesDown = false;
        assertThat(service.handle(statusChanged("a")).sent()).isEqualTo(1);
    }

    @Test
    void aGoneAccount_orAKindTurnedOff_getsNothing() {
        person("a", null);
        store.set("b", Kind.REPORTS, Frequency.NEVER, Instant.EPOCH);
        person("b", null);
        NotificationService.Outcome outcome = service.handle(statusChanged("a", "b", "gone"));
        assertThat(outcome.sent()).isEqualTo(1);
        assertThat(outcome.declined()).isEqualTo(1);
        assertThat(outcome.gone()).isEqualTo(1);
        assertThat(sent).extracting(Mailer.Mail::to).containsExactly("a@example.org");
    }

    @Test
    void theDigest_sendsHeldNoticesOnceADay() {
        person("a", null);
        store.set("a", Kind.REPORTS, Frequency.DAILY_DIGEST, Instant.EPOCH);
        assertThat(service.handle(statusChanged("a")).held()).isEqualTo(1);
        assertThat(service.handle(statusChanged("a")).duplicates()).isEqualTo(1);
        assertThat(sent).isEmpty();
        assertThat(service.digest().sent()).isEqualTo(1);
        assertThat(sent.get(0).subject()).isEqualTo("Votre résumé du jour (1)");
        assertThat(service.digest().sent()).isZero();
    }

    @Test
    void aForgedUnsubscribeToken_isRefused() {
        String token = tokens.sign("a", Kind.BOOKINGS);
        assertThat(tokens.verify(token)).isPresent();
        assertThat(new UnsubscribeTokens(new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                26, 27, 28, 29, 30, 31, 32}).verify(token)).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 2) + "xx")).isEmpty();
        assertThat(tokens.verify("u1.bad")).isEmpty();
    }
}
