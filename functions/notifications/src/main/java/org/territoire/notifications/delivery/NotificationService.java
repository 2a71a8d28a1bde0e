package org.territoire.notifications.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.notifications.preferences.Frequency;
import org.territoire.notifications.preferences.Kind;
import org.territoire.notifications.preferences.PreferenceStore;
import org.territoire.notifications.preferences.Preferences;
import org.territoire.notifications.preferences.UnsubscribeTokens;
import org.territoire.notifications.push.PushSubscription;
import org.territoire.notifications.push.PushSubscriptions;
import org.territoire.notifications.push.Pusher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one domain event into notices for the people it concerns, each by their preference:
 * sent now, held for the digest, or not at all. Exactly once from the person's view: the
 * delivery log entry (recipient, notice key) is written by one conditional write before the
 * mail goes, so a duplicate or retried event finds it and sends nothing; a send that fails
 * releases it and the event's retry sends it. An account that no longer exists (the user pool
 * says so once the accounts capability erased it) gets nothing.
 */
public final class NotificationService {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
    /** A digest gathers at most this many notices (one transaction claims the digest and removes them); the rest wait for the next. */
    public static final int DIGEST_MAX = 50;

    /** What one event did, for the log and the tests. */
    public record Outcome(int sent, int held, int duplicates, int declined, int gone) {
        public Map<String, Object> asMap() {
            return Map.of("sent", sent, "held", held, "duplicates", duplicates, "declined", declined, "gone", gone);
        }
    }

    private final PreferenceStore preferences;
    private final DeliveryLog log;
    private final Directory directory;
    private final Mailer mailer;
    private final Messages messages;
    private final UnsubscribeTokens tokens;
    private final String unsubscribeBase;
    private final Clock clock;
    private final PushSubscriptions pushSubscriptions;
    private final Pusher pusher;

    /** Without Web Push: mail only. */
    public NotificationService(PreferenceStore preferences, DeliveryLog log, Directory directory, Mailer mailer, ZoneId zone,
                               UnsubscribeTokens tokens, String unsubscribeBase, Clock clock) {
        this(preferences, log, directory, mailer, zone, tokens, unsubscribeBase, clock, null, null);
    }

    /**
     * @param unsubscribeBase the API's unsubscribe route ({@code https://api.../notifications/unsubscribe})
     * @param pusher null when push is off (no VAPID key yet): the subscriptions wait, mail goes on
     */
    public NotificationService(PreferenceStore preferences, DeliveryLog log, Directory directory, Mailer mailer, ZoneId zone,
                               UnsubscribeTokens tokens, String unsubscribeBase, Clock clock,
                               PushSubscriptions pushSubscriptions, Pusher pusher) {
        this.preferences = preferences;
        this.log = log;
        this.directory = directory;
        this.mailer = mailer;
        this.messages = new Messages(zone);
        this.tokens = tokens;
        this.unsubscribeBase = unsubscribeBase;
        this.clock = clock;
        this.pushSubscriptions = pushSubscriptions;
        this.pusher = pusher;
    }

    /** An EventBridge event as the rule hands it to the function. */
    public Outcome handle(JsonNode event) {
        String type = event.path("detail-type").asText();
        JsonNode d = event.path("detail");
        if (type.equals("Account Deleted") && "territoire.accounts".equals(event.path("source").asText())) {
            preferences.erase(d.path("accountId").asText());
            return new Outcome(0, 0, 0, 0, 1);
        }
        Optional<Made> made = notice(type, d);
        if (made.isEmpty()) {
            LOG.info("an event no notice is made of: {}", type);
            return new Outcome(0, 0, 0, 0, 0);
        }
        int sent = 0, held = 0, duplicates = 0, declined = 0, gone = 0;
        for (String recipient : made.get().recipients()) {
            switch (deliver(recipient, made.get().notice())) {
                case SENT -> sent++;
                case HELD -> held++;
                case DUPLICATE -> duplicates++;
                case DECLINED -> declined++;
                case GONE -> gone++;
            }
        }
        return new Outcome(sent, held, duplicates, declined, gone);
    }

    private enum Result { SENT, HELD, DUPLICATE, DECLINED, GONE }

    private Result deliver(String recipient, Notice notice) {
        Frequency frequency = preferences.find(recipient).orElseGet(() -> Preferences.none(recipient)).frequency(notice.kind());
        if (frequency == Frequency.NEVER) {
            return Result.DECLINED;
        }
        Optional<Directory.Recipient> person = directory.find(recipient);
        if (person.isEmpty()) {
            return Result.GONE;
        }
        if (frequency == Frequency.DAILY_DIGEST) {
            return log.hold(recipient, notice) ? Result.HELD : Result.DUPLICATE;
        }
        boolean mail = log.claim(recipient, notice);
        String language = Messages.language(person.get().locale());
        String unsubscribe = unsubscribeUrl(recipient, notice.kind());
        Messages.Text text = messages.render(notice, language, unsubscribe);
        if (mail) {
            try {
                mailer.send(new Mailer.Mail(person.get().email(), language, text.subject(), text.body(), unsubscribe));
            } catch (RuntimeException e) {
                // Not sent: let the event's retry send it (an ambiguous timeout may then send it twice; a lost mail is worse).
                log.release(recipient, notice);
                throw e;
            }
        }
        // A retried event (mail already sent, a push failed) still reaches the pushes not yet sent.
        push(recipient, notice, language, text.subject());
        return mail ? Result.SENT : Result.DUPLICATE;
    }

    /**
     * The notice as a Web Push message to each of the person's browsers, each once: its own
     * delivery log entry (the notice's key and the subscription's) claimed before it goes,
     * released when the push service says "later" (429, 5xx) so the event's retry pushes it. A
     * 404/410 means the browser withdrew the subscription: it is deleted. The message holds the
     * mail's subject, nothing more (no one else's data, and a push service sees its size).
     */
    private void push(String recipient, Notice notice, String language, String subject) {
        if (pusher == null || pushSubscriptions == null) {
            return;
        }
        for (PushSubscription s : pushSubscriptions.subscriptions(recipient)) {
            Notice pushed = new Notice(notice.kind(), notice.key() + "#push#" + s.id(), notice.topic(), notice.params(), notice.at());
            if (!log.claim(recipient, pushed)) {
                continue;
            }
            byte[] payload = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                    .put("title", subject).put("kind", notice.kind().field()).put("lang", language).toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // A device alert is worth waking the phone for (RFC 8030 §5.3); the rest can wait for the next wake-up.
            String urgency = notice.kind() == Kind.DEVICE_ALERTS ? "high" : "normal";
            try {
                if (pusher.push(s, payload, PUSH_TTL_SECONDS, urgency) == Pusher.Delivery.GONE) {
                    pushSubscriptions.removeSubscription(recipient, s.id());
                }
            } catch (RuntimeException e) {
                log.release(recipient, pushed);
                throw e;
            }
        }
    }

    /** How long a push service keeps a message for a browser that is offline: a notice is stale after a day. */
    static final int PUSH_TTL_SECONDS = 86_400;

    /**
     * The daily digest: for each person with notices held, one mail of what was held since the
     * last one, claimed for the day (with the notices' removal) in one transaction before it is
     * sent, so a second run the same day sends nothing.
     */
    public Outcome digest() {
        String day = clock.instant().atZone(ZoneId.of("UTC")).toLocalDate().toString();
        int sent = 0, duplicates = 0, gone = 0;
        for (String recipient : log.withHeld()) {
            List<Notice> notices = log.held(recipient);
            if (notices.isEmpty()) {
                continue;
            }
            Optional<Directory.Recipient> person = directory.find(recipient);
            if (person.isEmpty()) {
                preferences.erase(recipient);
                gone++;
                continue;
            }
            if (!log.takeDigest(recipient, day, notices, clock.instant())) {
                duplicates++;
                continue;
            }
            String language = Messages.language(person.get().locale());
            // The digest's own link turns off the first notice's kind; each kind is in the preferences page too.
            String unsubscribe = unsubscribeUrl(recipient, notices.get(0).kind());
            Messages.Text text = messages.digest(notices, language, unsubscribe);
            try {
                mailer.send(new Mailer.Mail(person.get().email(), language, text.subject(), text.body(), unsubscribe));
            } catch (RuntimeException e) {
                log.returnDigest(recipient, day, notices);
                throw e;
            }
            sent++;
        }
        return new Outcome(sent, 0, duplicates, 0, gone);
    }

    private String unsubscribeUrl(String recipient, Kind kind) {
        return unsubscribeBase + "?token=" + tokens.sign(recipient, kind);
    }

    private record Made(Notice notice, List<String> recipients) {
    }

    /** Who hears of which event, and what they are told; the event contract is in docs/api.md. */
    private Optional<Made> notice(String type, JsonNode d) {
        Instant now = clock.instant();
        return switch (type) {
            case "Report Status Changed" -> Optional.of(new Made(new Notice(Kind.REPORTS,
                    key("report-status", d, "reportId", "changedAt"), "report-status",
                    params(d, "reportId", "status", "previousStatus", "publicNote", "changedAt"), now), ids(d.path("recipients"))));
            case "Report Resolution Check Due" -> Optional.of(new Made(new Notice(Kind.REPORTS,
                    key("report-check", d, "reportId", "resolvedAt"), "report-check", params(d, "reportId", "resolvedAt"), now),
                    ids(d.path("authorId"))));
            case "Report Routed" -> Optional.of(new Made(new Notice(Kind.OPERATOR_REPORTS,
                    key("report-routed", d, "reportId", "routedAt"), "report-routed", params(d, "reportId", "organisationId", "routedAt"),
                    now), preferences.inOrganisation(d.path("organisationId").asText())));
            case "Report Reopen Requested" -> Optional.of(new Made(new Notice(Kind.OPERATOR_REPORTS,
                    key("report-reopen", d, "reportId", "requestedAt"), "report-reopen", params(d, "reportId", "requestedAt"), now),
                    preferences.inOrganisation(d.path("organisationId").asText())));
            case "Booking Approved" -> booking("booking-approved", d, now);
            case "Booking Cancelled" -> booking("booking-cancelled", d, now);
            case "Booking Reminder Due" -> Optional.of(new Made(new Notice(Kind.BOOKINGS,
                    key("booking-reminder", d, "bookingId", "start"), "booking-reminder", params(d, "bookingId", "start"), now),
                    ids(d.path("bookerId"))));
            case "Consultation Opened" -> consultation("consultation-opened", d, now);
            case "Consultation Results Published" -> consultation("consultation-results", d, now);
            // A budget's vote opening is a call to take part in one's district, as a consultation's opening: the same kind
            // and audience; logged under the budget, so a second event (a sweep that republished) mails nobody twice.
            case "Budget Vote Opened" -> {
                JsonNode district = d.path("district");
                List<String> audience = district.isTextual() ? preferences.inDistrict(district.asText()) : preferences.everyone();
                yield Optional.of(new Made(new Notice(Kind.CONSULTATIONS, key("budget-vote-opened", d, "budgetId"), "budget-vote-opened",
                        params(d, "budgetId", "closesAt"), now), audience));
            }
            // The receipt says the ballot was confirmed, never what was chosen (docs/decisions.md, participatory budgets).
            case "Budget Ballot Confirmed" -> {
                String topic = d.hasNonNull("changeableUntil") ? "budget-receipt-changeable" : "budget-receipt";
                yield Optional.of(new Made(new Notice(Kind.BUDGETS, key("budget-receipt", d, "budgetId", "receiptId"), topic,
                        params(d, "budgetId", "receiptId", "confirmedAt", "changeableUntil"), now), ids(d.path("recipients"))));
            }
            case "Budget Draft Reminder Due" -> Optional.of(new Made(new Notice(Kind.BUDGETS,
                    key("budget-reminder", d, "budgetId", "closesAt"), "budget-reminder", params(d, "budgetId", "closesAt"), now),
                    ids(d.path("recipients"))));
            case "Alert Raised" -> alert("alert-raised", d, now);
            case "Alert Cleared" -> alert("alert-cleared", d, now);
            default -> Optional.empty();
        };
    }

    private Optional<Made> booking(String topic, JsonNode d, Instant now) {
        return Optional.of(new Made(new Notice(Kind.BOOKINGS, key(topic, d, "bookingId"), topic,
                params(d, "bookingId", "resourceId", "start", "end"), now), ids(d.path("bookerId"))));
    }

    private Optional<Made> consultation(String topic, JsonNode d, Instant now) {
        JsonNode district = d.path("district");
        List<String> audience = district.isTextual() ? preferences.inDistrict(district.asText()) : preferences.everyone();
        return Optional.of(new Made(new Notice(Kind.CONSULTATIONS, key(topic, d, "consultationId"), topic,
                params(d, "consultationId"), now), audience));
    }

    private Optional<Made> alert(String topic, JsonNode d, Instant now) {
        return Optional.of(new Made(new Notice(Kind.DEVICE_ALERTS, key(topic, d, "deviceId", "alertKind", "at"), topic,
                params(d, "deviceId", "alertKind", "at"), now), ids(d.path("ownerId"))));
    }

    private static String key(String topic, JsonNode d, String... fields) {
        StringBuilder key = new StringBuilder(topic);
        for (String f : fields) {
            String v = d.path(f).asText("");
            if (v.isEmpty()) {
                throw new IllegalArgumentException("the event has no " + f);
            }
            key.append('#').append(v);
        }
        return key.toString();
    }

    private static Map<String, String> params(JsonNode d, String... fields) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String f : fields) {
            if (d.hasNonNull(f)) {
                params.put(f, d.get(f).asText());
            }
        }
        return params;
    }

    /** One id or an array of them, each once. */
    private static List<String> ids(JsonNode node) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (node.isTextual()) {
            ids.add(node.asText());
        }
        node.forEach(n -> {
            if (n.isTextual() && !n.asText().isBlank()) {
                ids.add(n.asText());
            }
        });
        return new ArrayList<>(ids);
    }
}
