package org.territoire.notifications.delivery;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The messages' texts, in French (the default) and English, chosen by the recipient's locale.
 * A message shows the object's id, its state and its times, and a note the operator wrote to be
 * public: nothing about anyone else (who filed, who follows, who changed it).
 */
public final class Messages {
    public record Text(String subject, String body) {
    }

    private static final Map<String, String[]> FR = Map.ofEntries(
            Map.entry("report-status", new String[]{"Votre signalement a changé d'état : %status%",
                    "Le signalement %reportId% est passé de « %previousStatus% » à « %status% » le %changedAt%.%note%"}),
            Map.entry("report-check", new String[]{"Le problème que vous avez signalé est-il réglé ?",
                    "Le signalement %reportId% a été marqué résolu le %resolvedAt%. Dites-nous s'il l'est vraiment : oui, non ou en partie."}),
            Map.entry("report-routed", new String[]{"Un signalement a été confié à votre organisation",
                    "Le signalement %reportId% a été confié à %organisationId% le %routedAt%."}),
            Map.entry("report-reopen", new String[]{"Demande de réouverture d'un signalement",
                    "Un habitant demande la réouverture du signalement %reportId% (%requestedAt%). Merci d'y répondre."}),
            Map.entry("booking-approved", new String[]{"Votre réservation est acceptée",
                    "Votre réservation %bookingId% du %start% au %end% est acceptée."}),
            Map.entry("booking-cancelled", new String[]{"Votre réservation est annulée",
                    "L'exploitant a annulé votre réservation %bookingId% du %start% au %end%."}),
            Map.entry("booking-reminder", new String[]{"Rappel : votre réservation approche",
                    "Votre réservation %bookingId% commence le %start%."}),
            Map.entry("budget-receipt", new String[]{"Votre vote au budget participatif est confirmé",
                    "Votre bulletin pour le budget %budgetId% est confirmé le %confirmedAt%. Numéro de reçu : %receiptId%."}),
            Map.entry("budget-receipt-changeable", new String[]{"Votre vote au budget participatif est confirmé",
                    "Votre bulletin pour le budget %budgetId% est confirmé le %confirmedAt%. Numéro de reçu : %receiptId%.\n\n"
                            + "Vous pouvez le modifier jusqu'à la clôture du vote, le %changeableUntil%."}),
            Map.entry("budget-reminder", new String[]{"Rappel : votre vote au budget participatif n'est pas confirmé",
                    "Vous avez commencé un bulletin pour le budget %budgetId% sans le confirmer : il ne compte pas encore. "
                            + "Le vote se clôt le %closesAt%."}),
            Map.entry("budget-vote-opened", new String[]{"Le vote du budget participatif est ouvert",
                    "Le vote du budget participatif %budgetId% est ouvert jusqu'au %closesAt% : choisissez les projets."}),
            Map.entry("consultation-opened", new String[]{"Une consultation est ouverte",
                    "La consultation %consultationId% est ouverte : donnez votre avis."}),
            Map.entry("consultation-results", new String[]{"Les résultats d'une consultation sont publiés",
                    "Les résultats de la consultation %consultationId% sont publiés."}),
            Map.entry("alert-raised", new String[]{"Alerte sur votre appareil",
                    "Votre appareil %deviceId% signale une alerte (%alertKind%) depuis le %at%."}),
            Map.entry("alert-cleared", new String[]{"Alerte levée sur votre appareil",
                    "L'alerte %alertKind% de votre appareil %deviceId% est levée depuis le %at%."}),
            Map.entry("digest", new String[]{"Votre résumé du jour", "Ce qui s'est passé depuis votre dernier résumé :"}),
            Map.entry("note", new String[]{"", "\n\nNote de l'exploitant : %publicNote%"}),
            Map.entry("footer", new String[]{"", "\n\n--\nVous recevez ce message selon vos préférences de notification. "
                    + "Pour ne plus recevoir ce type de message : %unsubscribeUrl%"}));

    private static final Map<String, String[]> EN = Map.ofEntries(
            Map.entry("report-status", new String[]{"Your report changed status: %status%",
                    "Report %reportId% went from \"%previousStatus%\" to \"%status%\" on %changedAt%.%note%"}),
            Map.entry("report-check", new String[]{"Is the problem you reported fixed?",
                    "Report %reportId% was marked resolved on %resolvedAt%. Tell us whether it really is: yes, no or partly."}),
            Map.entry("report-routed", new String[]{"A report was routed to your organisation",
                    "Report %reportId% was routed to %organisationId% on %routedAt%."}),
            Map.entry("report-reopen", new String[]{"A request to reopen a report",
                    "A resident asks to reopen report %reportId% (%requestedAt%). Please answer it."}),
            Map.entry("booking-approved", new String[]{"Your booking is approved",
                    "Your booking %bookingId% from %start% to %end% is approved."}),
            Map.entry("booking-cancelled", new String[]{"Your booking is cancelled",
                    "The operator cancelled your booking %bookingId% from %start% to %end%."}),
            Map.entry("booking-reminder", new String[]{"Reminder: your booking is coming up",
                    "Your booking %bookingId% starts on %start%."}),
            Map.entry("budget-receipt", new String[]{"Your participatory budget ballot is confirmed",
                    "Your ballot for budget %budgetId% was confirmed on %confirmedAt%. Receipt number: %receiptId%."}),
            Map.entry("budget-receipt-changeable", new String[]{"Your participatory budget ballot is confirmed",
                    "Your ballot for budget %budgetId% was confirmed on %confirmedAt%. Receipt number: %receiptId%.\n\n"
                            + "You can change it until the vote closes, on %changeableUntil%."}),
            Map.entry("budget-reminder", new String[]{"Reminder: your participatory budget ballot is not confirmed",
                    "You started a ballot for budget %budgetId% without confirming it: it does not count yet. "
                            + "The vote closes on %closesAt%."}),
            Map.entry("budget-vote-opened", new String[]{"The participatory budget vote is open",
                    "The vote of participatory budget %budgetId% is open until %closesAt%: choose the projects."}),
            Map.entry("consultation-opened", new String[]{"A consultation is open",
                    "Consultation %consultationId% is open: have your say."}),
            Map.entry("consultation-results", new String[]{"A consultation's results are published",
                    "The results of consultation %consultationId% are published."}),
            Map.entry("alert-raised", new String[]{"An alert on your device",
                    "Your device %deviceId% raised an alert (%alertKind%) at %at%."}),
            Map.entry("alert-cleared", new String[]{"An alert on your device cleared",
                    "The %alertKind% alert of your device %deviceId% cleared at %at%."}),
            Map.entry("digest", new String[]{"Your daily digest", "What happened since your last digest:"}),
            Map.entry("note", new String[]{"", "\n\nThe operator's note: %publicNote%"}),
            Map.entry("footer", new String[]{"", "\n\n--\nYou receive this message by your notification preferences. "
                    + "To stop receiving this kind of message: %unsubscribeUrl%"}));

    private static final Map<String, String> STATUS_FR = Map.of("OPEN", "ouvert", "ACKNOWLEDGED", "pris en compte",
            "IN_PROGRESS", "en cours", "RESOLVED", "résolu", "REJECTED", "rejeté", "DUPLICATE", "doublon");
    private static final Map<String, String> STATUS_EN = Map.of("OPEN", "open", "ACKNOWLEDGED", "acknowledged",
            "IN_PROGRESS", "in progress", "RESOLVED", "resolved", "REJECTED", "rejected", "DUPLICATE", "duplicate");
    private static final List<String> TIMES = List.of("changedAt", "resolvedAt", "routedAt", "requestedAt", "start", "end", "at",
            "confirmedAt", "changeableUntil", "closesAt");

    private final ZoneId zone;

    public Messages(ZoneId zone) {
        this.zone = zone;
    }

    /** "en" for a locale that starts with it, else "fr": the territory's language. */
    public static String language(Optional<String> locale) {
        return locale.map(l -> l.toLowerCase(Locale.ROOT)).filter(l -> l.equals("en") || l.startsWith("en-") || l.startsWith("en_"))
                .map(l -> "en").orElse("fr");
    }

    public Text render(Notice notice, String language, String unsubscribeUrl) {
        String[] t = texts(language).get(notice.topic());
        if (t == null) {
            throw new IllegalArgumentException("no message for " + notice.topic());
        }
        return new Text(fill(t[0], notice, language), fill(t[1], notice, language) + footer(language, unsubscribeUrl));
    }

    /** One mail for the day's held notices: each one's subject and body, in order. */
    public Text digest(List<Notice> notices, String language, String unsubscribeUrl) {
        String[] head = texts(language).get("digest");
        StringBuilder body = new StringBuilder(head[1]);
        for (Notice n : notices) {
            Text t = render(n, language, null);
            body.append("\n\n* ").append(t.subject()).append("\n  ").append(t.body().replace("\n", "\n  "));
        }
        return new Text(head[0] + " (" + notices.size() + ")", body + footer(language, unsubscribeUrl));
    }

    private String footer(String language, String unsubscribeUrl) {
        return unsubscribeUrl == null ? "" : texts(language).get("footer")[1].replace("%unsubscribeUrl%", unsubscribeUrl);
    }

    private String fill(String template, Notice notice, String language) {
        String out = template;
        if (out.contains("%note%")) {
            String note = notice.params().get("publicNote");
            out = out.replace("%note%", note == null || note.isBlank() ? "" : texts(language).get("note")[1]);
        }
        for (var p : notice.params().entrySet()) {
            out = out.replace("%" + p.getKey() + "%", value(p.getKey(), p.getValue(), language));
        }
        return out;
    }

    private String value(String name, String raw, String language) {
        if (raw == null) {
            return "";
        }
        if (name.equals("status") || name.equals("previousStatus")) {
            return (language.equals("en") ? STATUS_EN : STATUS_FR).getOrDefault(raw, raw);
        }
        if (TIMES.contains(name)) {
            try {
                return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                        .withLocale(Locale.forLanguageTag(language)).withZone(zone).format(Instant.parse(raw));
            } catch (java.time.format.DateTimeParseException e) {
                return raw;
            }
        }
        return raw;
    }

    private static Map<String, String[]> texts(String language) {
        return language.equals("en") ? EN : FR;
    }
}
