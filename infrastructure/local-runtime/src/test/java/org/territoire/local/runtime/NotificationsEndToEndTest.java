package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Notifications end to end (issue 18): people in the local user pool (moto's cognito-idp, whose
 * admin API the function reads addresses from), a report moved over the local HTTP API, the
 * feedback function publishing on the local bus, the template's rule delivering to the
 * notifications function, and the mails read back from the local endpoint's SES.
 */
class NotificationsEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static CognitoIdentityProviderClient pool;
    private static EventBridgeClient bus;
    private static String agent;
    private static String service;

    private record Person(String sub, String email, String token) {
    }

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        pool = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build();
        bus = EventBridgeClient.builder().endpointOverride(platform.events().url()).region(Region.of(LocalAws.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-notify", "agent").ofOrganisation("mairie"));
        service = send("POST", "/services", agent, """
                {"name":"Voirie %s","kind":"PEER","category":"service-sharing","organisationId":"mairie","districts":["centre"],
                 "location":{"latitude":45.76,"longitude":4.83}}""".formatted(UUID.randomUUID()), 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        bus.close();
        pool.close();
        platform.close();
    }

    @Test
    void aStatusChange_withThreeFollowers_sendsFourMailsOnce_evenWhenTheEventIsDeliveredTwice() throws Exception {
        Person author = person(null);
        List<Person> followers = List.of(person(null), person("fr-FR"), person("en-GB"));
        String report = reportFollowedBy(author, followers);

        moved(report, "ACKNOWLEDGED", "Équipe prévenue, intervention jeudi");

        List<Person> everyone = new ArrayList<>(followers);
        everyone.add(0, author);
        for (Person p : everyone) {
            List<LocalMail.Mail> mails = platform.mail().sentTo(p.email());
            assertThat(mails).as("mails to " + p.email()).hasSize(1);
            LocalMail.Mail mail = mails.get(0);
            assertThat(mail.header("List-Unsubscribe")).startsWith("<" + platform.apiUrl() + "/notifications/unsubscribe?token=");
            assertThat(mail.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(mail.header("From")).contains(LocalMail.SENDER);
            assertThat(mail.body()).contains(report).contains("Équipe prévenue, intervention jeudi");
            // No one else's personal data: not the others' addresses, nor their ids.
            for (Person other : everyone) {
                if (other != p) {
                    assertThat(mail.body() + mail.headers()).doesNotContain(other.email()).doesNotContain(other.sub());
                }
            }
        }
        assertThat(platform.mail().sentTo(author.email()).get(0).subject()).isEqualTo("Votre signalement a changé d'état : pris en compte");
        assertThat(platform.mail().sentTo(followers.get(2).email()).get(0).subject()).isEqualTo("Your report changed status: acknowledged");

        // The same event again, twice (EventBridge delivers at least once; a publisher may retry): nothing more is sent.
        JsonNode step = lastStep(report);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", report);
        detail.put("status", "ACKNOWLEDGED");
        detail.put("previousStatus", "OPEN");
        detail.put("publicNote", step.path("note").asText());
        detail.put("changedAt", step.path("at").asText());
        detail.put("recipients", everyone.stream().map(Person::sub).toList());
        for (int i = 0; i < 2; i++) {
            assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.feedback")
                    .detailType("Report Status Changed").detail(Json.write(detail)))).failedEntryCount()).isZero();
        }
        delivered();
        for (Person p : everyone) {
            assertThat(platform.mail().sentTo(p.email())).as("mails to " + p.email() + " after the redeliveries").hasSize(1);
        }
    }

    @Test
    void anAcceptedReopenRequest_isToldToTheAuthor_theFollowers_andTheResidentWhoAsked_once() throws Exception {
        Person author = person(null);
        List<Person> followers = List.of(person(null), person(null));
        Person requester = person(null);
        String report = reportFollowedBy(author, followers);
        moved(report, "ACKNOWLEDGED", null);
        moved(report, "RESOLVED", "Lampe changée");

        send("POST", "/reports/" + report + "/reopen-requests", requester.token(), "{\"reason\":\"Toujours éteint ce soir, rue Neuve\"}", 201);
        delivered();
        send("POST", "/reports/" + report + "/reopen-requests/" + requester.sub() + "/decision", agent, "{\"decision\":\"ACCEPT\"}", 200);
        delivered();

        List<Person> told = new ArrayList<>(followers);
        told.add(0, author);
        for (Person p : told) {
            assertThat(platform.mail().sentTo(p.email())).as("mails to " + p.email()).extracting(LocalMail.Mail::subject).containsExactly(
                    "Votre signalement a changé d'état : pris en compte", "Votre signalement a changé d'état : résolu",
                    "Votre signalement a changé d'état : ouvert");
        }
        List<LocalMail.Mail> toRequester = platform.mail().sentTo(requester.email());
        assertThat(toRequester).as("the resident who asked hears their request granted").extracting(LocalMail.Mail::subject)
                .containsExactly("Votre signalement a changé d'état : ouvert");
        assertThat(toRequester.get(0).body()).contains(report).doesNotContain(author.email()).doesNotContain(author.sub());
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void theAuthorsNo_toTheResolutionCheck_reopensTheReport_andTellsItsFollowers_butNotTheAuthorWhoAnswered() throws Exception {
        Person author = person(null);
        Person follower = person(null);
        String report = reportFollowedBy(author, List.of(follower));
        moved(report, "ACKNOWLEDGED", null);
        moved(report, "RESOLVED", null);

        // The feedback sweep's handler, four weeks on, publishing on the local bus: the author is asked.
        java.time.Instant later = java.time.Instant.now().plus(org.territoire.feedback.loop.LoopService.DEFAULT_CHECK_AFTER).plusSeconds(60);
        java.time.Clock clock = java.time.Clock.fixed(later, java.time.ZoneOffset.UTC);
        var loop = org.territoire.feedback.loop.LoopWiring.service(platform.aws().dynamoDb(), "FeedbackTable", clock,
                org.territoire.shared.ddb.PaginationKey.load(), new org.territoire.shared.events.EventBridgeDomainEvents(bus,
                        "TerritoireEventBus", org.territoire.feedback.loop.LoopWiring.SOURCE),
                org.territoire.feedback.loop.LoopService.DEFAULT_CHECK_AFTER);
        new org.territoire.feedback.loop.FeedbackSweepHandler(loop, clock).handleRequest(new java.io.ByteArrayInputStream(
                        "{\"id\":\"sweep\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\"}".getBytes(StandardCharsets.UTF_8)),
                new java.io.ByteArrayOutputStream(), org.territoire.shared.local.LocalContext.of("FeedbackSweepFunction"));
        delivered();
        assertThat(platform.mail().sentTo(author.email())).extracting(LocalMail.Mail::subject)
                .endsWith("Le problème que vous avez signalé est-il réglé ?");

        send("POST", "/reports/" + report + "/resolution-check", author.token(), "{\"answer\":\"NO\",\"comment\":\"Toujours éteint le soir\"}",
                200);
        delivered();

        List<LocalMail.Mail> toFollower = platform.mail().sentTo(follower.email());
        assertThat(toFollower).extracting(LocalMail.Mail::subject).containsExactly("Votre signalement a changé d'état : pris en compte",
                "Votre signalement a changé d'état : résolu", "Votre signalement a changé d'état : ouvert");
        assertThat(toFollower.get(2).body()).contains(report).contains("Toujours éteint le soir");
        assertThat(platform.mail().sentTo(author.email())).as("the author made the change: no mail of it").hasSize(3);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void oneClickUnsubscribe_turnsTheKindOff_andNoMoreMailOfItComes() throws Exception {
        Person author = person(null);
        Person follower = person(null);
        String report = reportFollowedBy(author, List.of(follower));
        moved(report, "ACKNOWLEDGED", null);
        String link = platform.mail().sentTo(author.email()).get(0).header("List-Unsubscribe").replaceAll("^<|>$", "");

        // A forged token (another account's id under the same signature) is refused, and changes nothing.
        String token = link.substring(link.indexOf("token=") + "token=".length());
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString((follower.sub() + "\nREPORTS").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(oneClick(platform.apiUrl() + "/notifications/unsubscribe?token=" + forged).statusCode()).isEqualTo(400);

        // RFC 8058: one POST of "List-Unsubscribe=One-Click", no session, no confirmation page.
        assertThat(oneClick(link).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/me/notifications", author.token(), null, 200).path("preferences").path("reports").asText()).isEqualTo("NEVER");
        assertThat(send("GET", "/me/notifications", follower.token(), null, 200).path("preferences").path("reports").asText())
                .isEqualTo("IMMEDIATELY");

        moved(report, "IN_PROGRESS", null);
        assertThat(platform.mail().sentTo(author.email())).as("the author unsubscribed").hasSize(1);
        assertThat(platform.mail().sentTo(follower.email())).as("the follower did not").hasSize(2);
    }

    @Test
    void anEventForADeletedAccount_sendsItNothing_andAccountDeletedErasesWhatNotificationsHeld() throws Exception {
        Person author = person(null);
        Person leaving = person(null);
        String report = reportFollowedBy(author, List.of(leaving));
        send("PUT", "/me/notifications", leaving.token(), "{\"preferences\":{\"bookings\":\"DAILY_DIGEST\"}}", 200);
        // The accounts function deletes the user from the pool, then publishes Account Deleted.
        pool.adminDeleteUser(r -> r.userPoolId(platform.userPool().poolId()).username(leaving.sub()));

        moved(report, "ACKNOWLEDGED", null);
        assertThat(platform.mail().sentTo(author.email())).hasSize(1);
        assertThat(platform.mail().sentTo(leaving.email())).as("a deleted account").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();

        assertThat(itemsOf(leaving)).isNotEmpty();
        assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                .detailType("Account Deleted").detail(Json.write(Map.of("accountId", leaving.sub(),
                        "deletedAt", java.time.Instant.now().toString()))))).failedEntryCount()).isZero();
        delivered();
        assertThat(itemsOf(leaving)).as("the notifications table's items of the person").isEmpty();
    }

    @Test
    void anExportRequest_writesThePersonsPreferencesAndDeliveryLog_toTheExportBucket_withoutAnyonesAddressOrMessage() throws Exception {
        Person author = person(null);
        Person follower = person(null);
        String report = reportFollowedBy(author, List.of(follower));
        send("PUT", "/me/notifications", author.token(), "{\"preferences\":{\"bookings\":\"DAILY_DIGEST\",\"deviceAlerts\":\"NEVER\"}}", 200);
        moved(report, "ACKNOWLEDGED", "Équipe prévenue");

        String exportId = UUID.randomUUID().toString();
        assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                .detailType("Account Export Requested").detail(Json.write(Map.of("accountId", author.sub(), "exportId", exportId,
                        "requestedAt", java.time.Instant.now().toString()))))).failedEntryCount()).isZero();
        delivered();
        assertThat(platform.events().deadLetters()).isEmpty();

        JsonNode part;
        try (var s3 = Aws.configure(software.amazon.awssdk.services.s3.S3Client.builder(), "S3").httpClient(Aws.httpClient())
                .forcePathStyle(true).build()) {
            part = Json.tree(s3.getObjectAsBytes(g -> g.bucket(platform.aws().environment().get("EXPORT_BUCKET"))
                    .key("exports/" + exportId + "/notifications.json")).asUtf8String());
        }
        assertThat(part.path("capability").asText()).isEqualTo("notifications");
        assertThat(part.path("exportId").asText()).isEqualTo(exportId);
        assertThat(part.path("readme").asText()).isNotBlank();
        assertThat(part.path("preferences").path("bookings").asText()).isEqualTo("DAILY_DIGEST");
        assertThat(part.path("preferences").path("deviceAlerts").asText()).isEqualTo("NEVER");
        assertThat(part.path("preferences").path("reports").asText()).isEqualTo("IMMEDIATELY");
        assertThat(part.path("district").asText()).isEqualTo("centre");
        assertThat(part.path("deliveries")).hasSize(1);
        assertThat(part.path("deliveries").get(0).path("topic").asText()).isEqualTo("report-status");
        assertThat(part.path("deliveries").get(0).path("objectId").asText()).isEqualTo(report);
        assertThat(part.path("deliveries").get(0).path("at").asText()).endsWith("Z");
        // Ids, kinds and times only: not the message, not the person's address, nothing of the follower.
        assertThat(part.toString()).doesNotContain("Équipe prévenue").doesNotContain(author.email())
                .doesNotContain(follower.sub()).doesNotContain(follower.email());
    }

    @Test
    void theDailyDigest_gathersWhatWasHeld_inOneMail_sentOnceADay() throws Exception {
        Person author = person(null);
        Person follower = person("en");
        String report = reportFollowedBy(author, List.of(follower));
        JsonNode saved = send("PUT", "/me/notifications", follower.token(), "{\"preferences\":{\"reports\":\"DAILY_DIGEST\"}}", 200);
        assertThat(saved.path("preferences").path("reports").asText()).isEqualTo("DAILY_DIGEST");
        assertThat(saved.path("preferences").path("bookings").asText()).isEqualTo("IMMEDIATELY");

        moved(report, "ACKNOWLEDGED", null);
        moved(report, "IN_PROGRESS", "Travaux commencés");
        assertThat(platform.mail().sentTo(follower.email())).as("held for the digest").isEmpty();
        assertThat(platform.mail().sentTo(author.email())).hasSize(2);

        digest();
        List<LocalMail.Mail> digests = platform.mail().sentTo(follower.email());
        assertThat(digests).hasSize(1);
        assertThat(digests.get(0).subject()).isEqualTo("Your daily digest (2)");
        assertThat(digests.get(0).body()).contains("acknowledged").contains("in progress").contains("Travaux commencés");
        assertThat(digests.get(0).header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");

        // A second run the same day sends nothing, even with a notice held since: it waits for tomorrow's.
        moved(report, "RESOLVED", null);
        digest();
        digest();
        assertThat(platform.mail().sentTo(follower.email())).hasSize(1);
    }

    @Test
    void theBooker_isToldOfTheApproval_andOfTheOperatorsCancellation_butNotOfTheirOwn() throws Exception {
        Person booker = person(null);
        String resource = send("POST", "/resources", agent, """
                {"kind":"SHARED_PARKING","name":"Salle %s","organisationId":"mairie","district":"centre",
                 "capacity":2,"slotMinutes":5,"maxDurationMinutes":240,"requiresApproval":true}""".formatted(UUID.randomUUID()), 201)
                .path("id").asText();
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Paris")).withSecond(0).withNano(0);
        java.time.ZonedDateTime start = now.plusMinutes(5 - now.getMinute() % 5).plusHours(3);
        String booking = send("POST", "/bookings", booker.token(), """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource, start.toOffsetDateTime(),
                start.plusHours(1).toOffsetDateTime()), 201).path("id").asText();
        String own = send("POST", "/bookings", booker.token(), """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource, start.plusHours(1).toOffsetDateTime(),
                start.plusHours(2).toOffsetDateTime()), 201).path("id").asText();

        send("POST", "/bookings/" + booking + "/approve", agent, "", 200);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).extracting(LocalMail.Mail::subject).containsExactly("Votre réservation est acceptée");

        send("POST", "/bookings/" + own + "/cancel", booker.token(), "", 200);
        send("POST", "/bookings/" + booking + "/cancel", agent, "{\"reason\":\"Salle fermée pour travaux\"}", 200);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).extracting(LocalMail.Mail::subject)
                .containsExactly("Votre réservation est acceptée", "Votre réservation est annulée");
        assertThat(platform.mail().sentTo(booker.email()).get(1).body()).contains(booking).doesNotContain(own);
    }

    @Test
    void theSweep_remindsTheBookerOnce_aDayBeforeTheStart_evenWhenTwoSweepsRunAtOnce_andNeverForACancelledBooking() throws Exception {
        Person booker = person(null);
        String resource = send("POST", "/resources", agent, """
                {"kind":"SHARED_PARKING","name":"Place %s","organisationId":"mairie","district":"centre",
                 "capacity":3,"slotMinutes":5,"maxDurationMinutes":240,"requiresApproval":false,
                 "maxAdvanceDays":30}""".formatted(UUID.randomUUID()), 201).path("id").asText();
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneId.of("Europe/Paris")).withSecond(0).withNano(0);
        java.time.ZonedDateTime soon = now.plusMinutes(5 - now.getMinute() % 5).plusHours(23);
        String tomorrow = book(booker, resource, soon);
        String cancelled = book(booker, resource, soon.plusHours(1));
        String later = book(booker, resource, soon.plusDays(2));
        send("POST", "/bookings/" + cancelled + "/cancel", booker.token(), "", 200);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).as("nothing before the sweep").isEmpty();

        // Two sweeps at once: the conditional mark lets one of them publish.
        var function = platform.aws().template().function("BookingsSweepFunction");
        var schedule = platform.aws().template().schedules().stream()
                .filter(s -> s.functionLogicalId().equals("BookingsSweepFunction")).findFirst().orElseThrow();
        byte[] event = ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8);
        var sweeps = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = sweeps.submit(() -> new FunctionHost().invoke(function, event));
            var b = sweeps.submit(() -> new FunctionHost().invoke(function, event));
            a.get();
            b.get();
        } finally {
            sweeps.shutdown();
        }
        delivered();
        List<LocalMail.Mail> mails = platform.mail().sentTo(booker.email());
        assertThat(mails).as("one reminder, for the booking starting in 23 hours").hasSize(1);
        assertThat(mails.get(0).body()).contains(tomorrow).doesNotContain(cancelled).doesNotContain(later);

        new FunctionHost().invoke(function, event);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).as("a later sweep reminds no one again").hasSize(1);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    private static String book(Person booker, String resource, java.time.ZonedDateTime start) throws Exception {
        return send("POST", "/bookings", booker.token(), """
                {"resourceId":"%s","start":"%s","end":"%s","units":1}""".formatted(resource, start.toOffsetDateTime(),
                start.plusHours(1).toOffsetDateTime()), 201).path("id").asText();
    }

    @Test
    void confirmingABallot_mailsTheVoterItsReceipt_withoutTheChoices_once() throws Exception {
        Person voter = person(null);
        Person other = person(null);
        java.time.Instant now = java.time.Instant.now();
        String path = votingBudget(other);
        String budget = path.substring("/budgets/".length());
        String project = send("GET", path + "/projects", voter.token(), null, 200).path("items").path(0).path("id").asText();

        send("PUT", path + "/ballot", voter.token(), "{\"projectIds\":[\"" + project + "\"]}", 200);
        String receipt = send("POST", path + "/ballot/confirm", voter.token(), "", 200).path("receipt").asText();
        delivered();

        List<LocalMail.Mail> mails = platform.mail().sentTo(voter.email());
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).subject()).isEqualTo("Votre vote au budget participatif est confirmé");
        assertThat(mails.get(0).body()).contains(receipt).contains(budget).contains("modifier jusqu'à la clôture")
                .doesNotContain(project).doesNotContain("Jardin");
        assertThat(platform.mail().sentTo(other.email())).as("nobody else hears of the ballot").isEmpty();

        // The same event redelivered (EventBridge delivers at least once): nothing more.
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("budgetId", budget);
        detail.put("receiptId", receipt);
        detail.put("recipients", List.of(voter.sub()));
        detail.put("confirmedAt", now.toString());
        for (int i = 0; i < 2; i++) {
            assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.consultations")
                    .detailType("Budget Ballot Confirmed").detail(Json.write(detail)))).failedEntryCount()).isZero();
        }
        delivered();
        assertThat(platform.mail().sentTo(voter.email())).hasSize(1);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void theSweepBeforeTheClose_twoAtOnce_remindsOnlyTheResidentWhoDidNotConfirm_once() throws Exception {
        Person forgetful = person("en");
        Person voter = person(null);
        String path = votingBudget(voter);
        String project = send("GET", path + "/projects", voter.token(), null, 200).path("items").path(0).path("id").asText();
        for (Person p : List.of(forgetful, voter)) {
            send("PUT", path + "/ballot", p.token(), "{\"projectIds\":[\"" + project + "\"]}", 200);
        }
        send("POST", path + "/ballot/confirm", voter.token(), "", 200);
        delivered();

        // The schedule firing twice at once (a retried invocation beside the next one): one reminder.
        int reminded = consultationsSweepTwiceAtOnce("reminded");
        // One event in all (the delivery log would hide a second mail: the count is the sweeps' own).
        assertThat(reminded).as("reminders published by the two sweeps together").isEqualTo(1);
        delivered();

        List<LocalMail.Mail> reminders = platform.mail().sentTo(forgetful.email());
        assertThat(reminders).hasSize(1);
        assertThat(reminders.get(0).subject()).isEqualTo("Reminder: your participatory budget ballot is not confirmed");
        assertThat(reminders.get(0).body()).contains(path.substring("/budgets/".length())).doesNotContain(project);
        assertThat(platform.mail().sentTo(voter.email())).extracting(LocalMail.Mail::subject)
                .as("the voter who confirmed has only the receipt").containsExactly("Votre vote au budget participatif est confirmé");
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void aConsultationWhoseOpeningTimeHasPassed_isAnnouncedOnce_byTwoSweepsAtOnce_toTheResidentsOfItsDistrictOnly() throws Exception {
        // What the demo data or earlier tests of this platform left to announce or re-send, done first (before anyone here
        // chooses to hear of consultations): the counts and mails below are this test's.
        sweepConsultationsOnce();
        Person centre = person(null);
        Person nord = person(null, "nord");
        Person silent = person(null);
        for (Person p : List.of(centre, nord)) {
            // Audiences are the people who saved their preferences (their district recorded from their token).
            send("PUT", "/me/notifications", p.token(), "{\"preferences\":{\"consultations\":\"IMMEDIATELY\"}}", 200);
        }
        java.time.Instant now = java.time.Instant.now();
        String opened = scheduledPoll("centre", now.minusSeconds(60));
        String later = scheduledPoll("centre", now.plus(Duration.ofHours(2)));
        delivered();
        assertThat(platform.mail().sentTo(centre.email())).as("nothing before the sweep").isEmpty();

        int announced = consultationsSweepTwiceAtOnce("announced");
        // The sweeps' own count: the delivery log would hide a second event from the mailbox.
        assertThat(announced).as("openings announced by the two sweeps together").isEqualTo(1);
        delivered();

        List<LocalMail.Mail> mails = platform.mail().sentTo(centre.email());
        assertThat(mails).extracting(LocalMail.Mail::subject).containsExactly("Une consultation est ouverte");
        assertThat(mails.get(0).body()).contains(opened).doesNotContain(later);
        assertThat(platform.mail().sentTo(nord.email())).as("a resident of another district").isEmpty();
        assertThat(platform.mail().sentTo(silent.email())).as("a resident who never saved preferences is in no audience").isEmpty();

        // A later sweep announces nothing again.
        assertThat(sweepConsultationsOnce().path("announced").asInt()).isZero();
        assertThat(platform.mail().sentTo(centre.email())).hasSize(1);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void aBudgetsVoteOpening_movedByTheAgent_isAnnouncedOnce_byTwoSweepsAtOnce_toItsDistrictOnly_andNeverAgainAfterRewrites()
            throws Exception {
        sweepConsultationsOnce(); // what earlier tests left due, before anyone here chooses to hear of consultations
        Person centre = person(null);
        Person nord = person("en", "nord");
        for (Person p : List.of(centre, nord)) {
            send("PUT", "/me/notifications", p.token(), "{\"preferences\":{\"consultations\":\"IMMEDIATELY\"}}", 200);
        }
        java.time.Instant now = java.time.Instant.now();
        String path = budgetInReview("centre", now.plus(Duration.ofHours(2)));
        String budget = path.substring("/budgets/".length());
        assertThat(sweepConsultationsOnce().path("votesAnnounced").asInt()).as("the vote opens in two hours").isZero();

        // The agent opens the vote now: the announcement moves with the opening (the marker, in the same transaction).
        send("POST", path + "/next-phase", agent, "", 200);
        int announced = consultationsSweepTwiceAtOnce("votesAnnounced");
        assertThat(announced).as("votes announced by the two sweeps together").isEqualTo(1);
        delivered();
        List<LocalMail.Mail> mails = platform.mail().sentTo(centre.email());
        assertThat(mails).extracting(LocalMail.Mail::subject).containsExactly("Le vote du budget participatif est ouvert");
        assertThat(mails.get(0).body()).contains(budget);
        assertThat(platform.mail().sentTo(nord.email())).as("a resident of another district").isEmpty();

        // The same event again (a sweep that republished): the delivery log, keyed on the budget, mails nobody twice.
        for (int i = 0; i < 2; i++) {
            assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.consultations")
                    .detailType("Budget Vote Opened").detail(Json.write(Map.of("budgetId", budget, "district", "centre",
                            "closesAt", now.plus(Duration.ofDays(1)).toString()))))).failedEntryCount()).isZero();
        }
        delivered();
        assertThat(platform.mail().sentTo(centre.email())).hasSize(1);

        // The budget rewritten whole after the announcement (vote closed, results, follow-up): never announced again.
        send("POST", path + "/next-phase", agent, "", 200);
        send("POST", path + "/publish-results", agent, "", 200);
        send("POST", path + "/next-phase", agent, "", 200);
        JsonNode after = sweepConsultationsOnce();
        assertThat(after.path("votesAnnounced").asInt()).isZero();
        assertThat(after.path("tooLate").asInt()).isZero();
        assertThat(platform.mail().sentTo(centre.email())).hasSize(1);

        // A vote opened and closed again before any sweep saw it is taken out without a word.
        String brief = budgetInReview("centre", now.plus(Duration.ofHours(2)));
        send("POST", brief + "/next-phase", agent, "", 200);
        send("POST", brief + "/next-phase", agent, "", 200);
        JsonNode late = sweepConsultationsOnce();
        assertThat(late.path("votesAnnounced").asInt()).isZero();
        assertThat(late.path("tooLate").asInt()).isEqualTo(1);
        assertThat(platform.mail().sentTo(centre.email())).hasSize(1);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void aConsultationScheduledBeforeTheOpeningsIndex_isAnnouncedOnce_byTheBackfill_evenTwoAtOnce() throws Exception {
        sweepConsultationsOnce(); // runs this platform's backfill, if no test did, and announces what is due
        Person centre = person(null);
        send("PUT", "/me/notifications", centre.token(), "{\"preferences\":{\"consultations\":\"IMMEDIATELY\"}}", 200);
        java.time.Instant now = java.time.Instant.now();
        String announcedBefore = scheduledPoll("centre", now.minusSeconds(60));
        assertThat(sweepConsultationsOnce().path("announced").asInt()).isEqualTo(1);
        String old = scheduledPoll("centre", now.minusSeconds(30));
        String unscheduled = send("POST", "/consultations", agent, """
                {"title":"Brouillon","description":"Pas encore","kind":"POLL","districts":["centre"],
                 "opensAt":"%s","closesAt":"%s","questions":[{"text":"Oui ou non ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(now.minusSeconds(30), now.plus(Duration.ofDays(7))), 201).path("consultation").path("id").asText();

        // As a version before the index left it: scheduled, never announced, in no index; and the backfill not done yet.
        String table = platform.aws().environment().get("CONSULTATIONS_TABLE");
        var dynamo = platform.aws().dynamoDb();
        dynamo.updateItem(u -> u.tableName(table).key(Map.of("pk", AttributeValue.fromS("CONS#" + old), "sk", AttributeValue.fromS("META")))
                .updateExpression("REMOVE gsi2pk, gsi2sk"));
        dynamo.deleteItem(d -> d.tableName(table).key(Map.of("pk", AttributeValue.fromS("MIGRATION"), "sk",
                AttributeValue.fromS("OPENINGS-BACKFILL"))));
        assertThat(dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("CONS#" + old), "sk", AttributeValue.fromS("META")))).item())
                .doesNotContainKey("gsi2pk");

        int announced = consultationsSweepTwiceAtOnce("announced");
        assertThat(announced).as("the old consultation, once, by the two sweeps together").isEqualTo(1);
        delivered();
        List<LocalMail.Mail> mails = platform.mail().sentTo(centre.email());
        assertThat(mails).hasSize(2);
        assertThat(mails).filteredOn(m -> m.body().contains(old)).as("the old consultation").hasSize(1);
        assertThat(mails).filteredOn(m -> m.body().contains(announcedBefore)).as("one announced already: not again").hasSize(1);
        assertThat(mails).noneMatch(m -> m.body().contains(unscheduled));

        // Done once: later runs read the marker and add nothing.
        JsonNode later = sweepConsultationsOnce();
        assertThat(later.path("backfilled").asInt()).isZero();
        assertThat(later.path("announced").asInt()).isZero();
        assertThat(platform.mail().sentTo(centre.email())).hasSize(2);
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void anEventTheBusRefusedAfterTheWrite_isKeptInTheOutbox_andTheSweepPublishesItAgain_once_evenTwoAtOnce() throws Exception {
        // What the demo data or earlier tests of this platform left to announce or re-send, done first (before anyone here
        // chooses to hear of consultations): the counts and mails below are this test's.
        sweepConsultationsOnce();
        Person centre = person(null);
        send("PUT", "/me/notifications", centre.token(), "{\"preferences\":{\"consultations\":\"IMMEDIATELY\"}}", 200);
        String table = platform.aws().environment().get("CONSULTATIONS_TABLE");
        // The consultations function's events as it wires them, over a bus that refuses (PutEvents failing after the SDK's retries).
        var refused = new org.territoire.shared.events.AfterCommit((type, detail) -> {
            throw org.territoire.shared.ddb.StorageException.busy("the event bus is unavailable", null);
        }, new org.territoire.shared.events.DynamoOutbox(platform.aws().dynamoDb(), table), java.time.Clock.systemUTC());
        String consultation = UUID.randomUUID().toString();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("consultationId", consultation);
        detail.put("district", "centre");
        refused.publish("Consultation Results Published", detail);
        delivered();
        assertThat(platform.mail().sentTo(centre.email())).as("nothing went on the bus").isEmpty();
        assertThat(outbox(table)).hasSize(1);

        int resent = consultationsSweepTwiceAtOnce("resent");
        assertThat(resent).as("kept events published again by the two sweeps together").isEqualTo(1);
        delivered();
        // The same sweep also announces the consultations other tests of this endpoint scheduled to open by now (to
        // the centre or the whole territory): only the mails about this consultation are this test's.
        List<LocalMail.Mail> mails = platform.mail().sentTo(centre.email()).stream()
                .filter(m -> m.body().contains(consultation)).toList();
        assertThat(mails).extracting(LocalMail.Mail::subject).containsExactly("Les résultats d'une consultation sont publiés");
        assertThat(outbox(table)).as("published, so no longer kept").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void aStatusChangeTheBusRefused_isKeptInTheFeedbackOutbox_andTheFeedbackSweepPublishesItAgain_toAuthorAndFollower_once() throws Exception {
        Person author = person(null);
        Person follower = person(null);
        String report = reportFollowedBy(author, List.of(follower));
        String table = platform.aws().environment().get("FEEDBACK_TABLE");
        // The feedback function's events as it wires them, over a bus that refuses: the event its workflow publishes for a move.
        var refused = new org.territoire.shared.events.AfterCommit((type, detail) -> {
            throw org.territoire.shared.ddb.StorageException.busy("the event bus is unavailable", null);
        }, new org.territoire.shared.events.DynamoOutbox(platform.aws().dynamoDb(), table), java.time.Clock.systemUTC());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reportId", report);
        detail.put("status", "ACKNOWLEDGED");
        detail.put("previousStatus", "OPEN");
        detail.put("publicNote", "Équipe prévenue");
        detail.put("changedAt", java.time.Instant.now().toString());
        detail.put("recipients", List.of(author.sub(), follower.sub()));
        refused.publish("Report Status Changed", detail);
        assertThat(outbox(table)).hasSize(1);

        var function = platform.aws().template().function("FeedbackSweepFunction");
        var schedule = platform.aws().template().schedules().stream()
                .filter(s -> s.functionLogicalId().equals("FeedbackSweepFunction")).findFirst().orElseThrow();
        for (int run = 0; run < 2; run++) {
            byte[] answer = new FunctionHost().invoke(function, ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8));
            assertThat(Json.tree(new String(answer, StandardCharsets.UTF_8)).path("resent").asInt()).as("run " + run).isEqualTo(1 - run);
        }
        delivered();
        for (Person p : List.of(author, follower)) {
            assertThat(platform.mail().sentTo(p.email())).extracting(LocalMail.Mail::subject)
                    .containsExactly("Votre signalement a changé d'état : pris en compte");
        }
        assertThat(outbox(table)).isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void aBookingEventTheBusRefused_isKeptInTheBookingsOutbox_andTheBookingsSweepPublishesItAgain_once_evenTwoAtOnce() throws Exception {
        Person booker = person(null);
        String table = platform.aws().environment().get("BOOKINGS_TABLE");
        // The bookings function's events as it wires them (Wiring.events), over a bus that refuses.
        String booking = UUID.randomUUID().toString();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("bookingId", booking);
        detail.put("bookerId", booker.sub());
        detail.put("resourceId", UUID.randomUUID().toString());
        detail.put("start", "2026-12-24T10:00:00Z");
        detail.put("end", "2026-12-24T11:00:00Z");
        refusingBus(table).publish("Booking Approved", detail);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).as("nothing went on the bus").isEmpty();
        assertThat(outbox(table)).hasSize(1);

        assertThat(twoSweepsAtOnce("BookingsSweepFunction", "resent")).as("published again by the two sweeps together").isEqualTo(1);
        delivered();
        assertThat(platform.mail().sentTo(booker.email())).extracting(LocalMail.Mail::subject).containsExactly("Votre réservation est acceptée");
        assertThat(platform.mail().sentTo(booker.email()).get(0).body()).contains(booking);
        assertThat(outbox(table)).as("published, so no longer kept").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void anAlertTheBusRefused_isKeptInTheTelemetryOutbox_andTheTelemetrySweepPublishesItAgain_once_evenTwoAtOnce() throws Exception {
        Person owner = person(null);
        String table = platform.aws().environment().get("TELEMETRY_TABLE");
        // The telemetry functions' alerts as they wire them (Wiring.alertEvents), over a bus that refuses.
        String device = "dev-" + UUID.randomUUID();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("deviceId", device);
        detail.put("ownerId", owner.sub());
        detail.put("alertKind", "OFFLINE");
        detail.put("at", java.time.Instant.now().toString());
        refusingBus(table).publish("Alert Raised", detail);
        delivered();
        assertThat(platform.mail().sentTo(owner.email())).as("nothing went on the bus").isEmpty();
        assertThat(outbox(table)).hasSize(1);

        assertThat(twoSweepsAtOnce("TelemetrySweepFunction", "resent")).as("published again by the two sweeps together").isEqualTo(1);
        delivered();
        assertThat(platform.mail().sentTo(owner.email())).as("the owner, once").hasSize(1);
        assertThat(platform.mail().sentTo(owner.email()).get(0).body()).contains(device);
        assertThat(outbox(table)).as("published, so no longer kept").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void anAccountDeletedTheBusRefused_isKeptInTheAccountsOutbox_andTheAccountsSweepPublishesItAgain_once_andTheConsumersErase() throws Exception {
        Person leaving = person(null);
        send("PUT", "/me/notifications", leaving.token(), "{\"preferences\":{\"bookings\":\"DAILY_DIGEST\"}}", 200);
        assertThat(itemsOf(leaving)).isNotEmpty();
        String table = platform.aws().environment().get("ACCOUNTS_TABLE");
        // The accounts function's events as it wires them (AfterCommit.orThrow over the table's outbox), over a bus that refuses:
        // the deletion answered, its event kept.
        var refused = org.territoire.shared.events.AfterCommit.orThrow((type, d) -> {
            throw org.territoire.shared.ddb.StorageException.busy("the event bus is unavailable", null);
        }, new org.territoire.shared.events.DynamoOutbox(platform.aws().dynamoDb(), table), java.time.Clock.systemUTC());
        new org.territoire.accounts.events.EventBridgeAccountEvents(refused).deleted(leaving.sub(), java.time.Instant.now());
        delivered();
        assertThat(itemsOf(leaving)).as("nothing went on the bus").isNotEmpty();
        assertThat(outbox(table)).hasSize(1);

        assertThat(twoSweepsAtOnce("AccountsSweepFunction", "resent")).as("published again by the two sweeps together").isEqualTo(1);
        delivered();
        assertThat(itemsOf(leaving)).as("notifications erased what it held of the person").isEmpty();
        assertThat(outbox(table)).as("published, so no longer kept").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
    }

    @Test
    void eachCapabilitysKeptEventsNamingAPerson_areInTheirExport_andGoWithTheirErasure_othersStay() throws Exception {
        Person person = person(null);
        Person other = person(null);
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("bookings", platform.aws().environment().get("BOOKINGS_TABLE"));
        tables.put("telemetry", platform.aws().environment().get("TELEMETRY_TABLE"));
        tables.put("consultations", platform.aws().environment().get("CONSULTATIONS_TABLE"));
        tables.put("feedback", platform.aws().environment().get("FEEDBACK_TABLE"));
        for (String table : tables.values()) {
            // Named in a field, named in a list of recipients, and someone else's.
            refusingBus(table).publish("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", UUID.randomUUID().toString(),
                    "bookerId", person.sub())));
            refusingBus(table).publish("Report Status Changed", new LinkedHashMap<>(Map.of("reportId", UUID.randomUUID().toString(),
                    "recipients", List.of(other.sub(), person.sub()))));
            refusingBus(table).publish("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", UUID.randomUUID().toString(),
                    "bookerId", other.sub())));
            assertThat(outbox(table)).hasSize(3);
        }
        try {
            String exportId = UUID.randomUUID().toString();
            assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                    .detailType("Account Export Requested").detail(Json.write(Map.of("accountId", person.sub(), "exportId", exportId,
                            "requestedAt", java.time.Instant.now().toString()))))).failedEntryCount()).isZero();
            delivered();
            try (var s3 = Aws.configure(software.amazon.awssdk.services.s3.S3Client.builder(), "S3").httpClient(Aws.httpClient())
                    .forcePathStyle(true).build()) {
                for (String capability : tables.keySet()) {
                    JsonNode part = Json.tree(s3.getObjectAsBytes(g -> g.bucket(platform.aws().environment().get("EXPORT_BUCKET"))
                            .key("exports/" + exportId + "/" + capability + ".json")).asUtf8String());
                    assertThat(part.path("keptEvents")).as(capability).hasSize(2);
                    assertThat(part.path("keptEvents").toString()).as(capability).contains(person.sub());
                    assertThat(part.path("keptEvents").get(0).path("keptAt").asText()).as(capability).endsWith("Z");
                    assertThat(part.path("readme").asText()).as(capability).contains("keptEvents");
                }
            }

            assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                    .detailType("Account Deleted").detail(Json.write(Map.of("accountId", person.sub(),
                            "deletedAt", java.time.Instant.now().toString()))))).failedEntryCount()).isZero();
            delivered();
            for (var t : tables.entrySet()) {
                List<Map<String, AttributeValue>> left = outbox(t.getValue());
                assertThat(left).as(t.getKey() + ": only the other person's event").hasSize(1);
                assertThat(left.get(0).get("detail").s()).as(t.getKey()).contains(other.sub()).doesNotContain(person.sub());
            }
            assertThat(platform.events().deadLetters()).isEmpty();
        } finally {
            // What is left is this test's: the other tests count what the sweeps publish again.
            for (String table : tables.values()) {
                for (var item : outbox(table)) {
                    platform.aws().dynamoDb().deleteItem(d -> d.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
                }
            }
        }
    }

    /** A capability's events as its functions wire them (AfterCommit over the table's outbox), over a bus that refuses. */
    private static org.territoire.shared.events.DomainEvents refusingBus(String table) {
        return new org.territoire.shared.events.AfterCommit((type, detail) -> {
            throw org.territoire.shared.ddb.StorageException.busy("the event bus is unavailable", null);
        }, new org.territoire.shared.events.DynamoOutbox(platform.aws().dynamoDb(), table), java.time.Clock.systemUTC());
    }

    private static List<Map<String, AttributeValue>> outbox(String table) {
        return platform.aws().dynamoDb().query(q -> q.tableName(table).consistentRead(true).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("OUTBOX")))).items();
    }

    /** A scheduled poll of that district opening at {@code opensAt}, for a week. */
    private static String scheduledPoll(String district, java.time.Instant opensAt) throws Exception {
        String id = send("POST", "/consultations", agent, """
                {"title":"Square Jean-Macé","description":"Quel aménagement ?","kind":"POLL","districts":["%s"],
                 "opensAt":"%s","closesAt":"%s","questions":[{"text":"Oui ou non ?","type":"SINGLE_CHOICE","choices":["Oui","Non"]}]}"""
                .formatted(district, opensAt, opensAt.plus(Duration.ofDays(7))), 201).path("consultation").path("id").asText();
        send("POST", "/consultations/" + id + "/schedule", agent, "", 200);
        return id;
    }

    /** A centre budget in its vote phase, closing in 24 hours (within the 48-hour reminder lead), with one feasible project. */
    /** A scheduled budget of {@code district}, in its review phase, its vote to open at {@code voteOpensAt}. */
    private static String budgetInReview(String district, java.time.Instant voteOpensAt) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        String budget = send("POST", "/budgets", agent, """
                {"title":"Budget du quartier","description":"Budget participatif","district":"%s","amount":100000,
                 "rule":{"kind":"KNAPSACK"},"allowChange":false,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(district, now.minusSeconds(120), now.minusSeconds(60), voteOpensAt, voteOpensAt.plus(Duration.ofDays(1))), 201)
                .path("id").asText();
        send("POST", "/budgets/" + budget + "/schedule", agent, "", 200);
        return "/budgets/" + budget;
    }

    private static String votingBudget(Person author) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        String budget = send("POST", "/budgets", agent, """
                {"title":"Budget du centre","description":"Budget participatif","district":"centre","amount":100000,
                 "rule":{"kind":"KNAPSACK"},"allowChange":true,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.minusSeconds(60), now.plusSeconds(3600), now.plusSeconds(7200), now.plusSeconds(86_400)), 201)
                .path("id").asText();
        String path = "/budgets/" + budget;
        send("POST", path + "/schedule", agent, "", 200);
        String project = send("POST", path + "/projects", author.token(), """
                {"title":"Jardin partagé","description":"Un jardin pour le centre","location":{"latitude":45.76,"longitude":4.83},"cost":40000}""",
                201).path("id").asText();
        send("POST", path + "/next-phase", agent, "", 200);
        send("PUT", path + "/projects/" + project + "/review", agent, "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable\",\"estimatedCost\":40000}", 200);
        send("POST", path + "/next-phase", agent, "", 200);
        return path;
    }

    @Test
    void preferences_refuseWhatIsNotAKindOrAFrequency_namingTheField() throws Exception {
        Person p = person(null);
        HttpResponse<String> bad = request("PUT", "/me/notifications", p.token(), "{\"preferences\":{\"reports\":\"SOMETIMES\",\"weather\":\"NEVER\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("preferences.reports").contains("preferences.weather").doesNotContain("SOMETIMES");
        assertThat(send("GET", "/me/notifications", p.token(), null, 200).path("preferences").path("reports").asText()).isEqualTo("IMMEDIATELY");
        assertThat(request("GET", "/me/notifications", null, null).statusCode()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ helpers

    /** A person of the local user pool (as sign-up makes them: a verified email), with a resident's token. */
    private static Person person(String locale) {
        return person(locale, "centre");
    }

    private static Person person(String locale, String district) {
        String email = "notified-" + UUID.randomUUID() + "@example.org";
        List<AttributeType> attributes = new ArrayList<>(List.of(AttributeType.builder().name("email").value(email).build(),
                AttributeType.builder().name("email_verified").value("true").build()));
        if (locale != null) {
            attributes.add(AttributeType.builder().name("locale").value(locale).build());
        }
        var user = pool.adminCreateUser(r -> r.userPoolId(platform.userPool().poolId()).username(email).userAttributes(attributes)
                .messageAction(MessageActionType.SUPPRESS)).user();
        String sub = user.attributes().stream().filter(a -> a.name().equals("sub")).findFirst().orElseThrow().value();
        return new Person(sub, email, platform.issuer().mint(LocalIssuer.User.of(sub, "resident").inDistrict(district)));
    }

    private static String reportFollowedBy(Person author, List<Person> followers) throws Exception {
        String report = send("POST", "/reports", author.token(), """
                {"serviceId":"%s","description":"Nid-de-poule devant l'école","latitude":45.7601,"longitude":4.8301}"""
                .formatted(service), 201).path("id").asText();
        for (Person f : followers) {
            send("POST", "/reports/" + report + "/follow", f.token(), "", 204);
        }
        delivered();
        return report;
    }

    private static void moved(String report, String status, String note) throws Exception {
        send("POST", "/reports/" + report + "/status", agent, note == null ? "{\"status\":\"" + status + "\"}"
                : "{\"status\":\"" + status + "\",\"note\":\"" + note + "\"}", 200);
        delivered();
    }

    private static JsonNode lastStep(String report) throws Exception {
        JsonNode history = send("GET", "/reports/" + report, agent, null, 200).path("history");
        return history.get(history.size() - 1);
    }

    private static void delivered() throws InterruptedException {
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(60))).isTrue();
    }

    /** The digest's schedule firing (the local scheduler would, once a day). */
    private static void digest() throws Exception {
        var function = platform.aws().template().function("NotificationDigestFunction");
        var schedule = platform.aws().template().schedules().stream()
                .filter(s -> s.functionLogicalId().equals("NotificationDigestFunction")).findFirst().orElseThrow();
        new FunctionHost().invoke(function, ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, AttributeValue>> itemsOf(Person p) {
        String table = platform.aws().environment().get("NOTIFICATIONS_TABLE");
        return platform.aws().dynamoDb().scan(r -> r.tableName(table)).items().stream()
                .filter(i -> i.get("pk").s().contains(p.sub()) || i.get("sk").s().contains(p.sub())).toList();
    }

    private static HttpResponse<String> oneClick(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> request(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(String method, String path, String token, String body, int expected) throws Exception {
        HttpResponse<String> response = request(method, path, token, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.tree(response.body());
    }

    /** Two runs of the consultations sweep at once (the schedule firing while a retried run goes on): the sum of a count they answer. */
    private static int consultationsSweepTwiceAtOnce(String count) throws Exception {
        return twoSweepsAtOnce("ConsultationsSweepFunction", count);
    }

    /** Two runs at once of the scheduled function, as its schedule invokes it; the sum of their answers' {@code count}. */
    private static int twoSweepsAtOnce(String functionId, String count) throws Exception {
        var function = platform.aws().template().function(functionId);
        var schedule = platform.aws().template().schedules().stream()
                .filter(s -> s.functionLogicalId().equals(functionId)).findFirst().orElseThrow();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var start = new java.util.concurrent.CountDownLatch(1);
            var runs = new ArrayList<java.util.concurrent.Future<byte[]>>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    return new FunctionHost().invoke(function, ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8));
                }));
            }
            start.countDown();
            int sum = 0;
            for (var run : runs) {
                sum += Json.tree(new String(run.get(120, java.util.concurrent.TimeUnit.SECONDS), StandardCharsets.UTF_8)).path(count).asInt();
            }
            return sum;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One run of the consultations sweep, as its schedule fires it, its events delivered: its answer (what it did). */
    private static com.fasterxml.jackson.databind.JsonNode sweepConsultationsOnce() throws Exception {
        var function = platform.aws().template().function("ConsultationsSweepFunction");
        var schedule = platform.aws().template().schedules().stream()
                .filter(s -> s.functionLogicalId().equals("ConsultationsSweepFunction")).findFirst().orElseThrow();
        byte[] answer = new FunctionHost().invoke(function, ScheduleEmulator.event(schedule).getBytes(StandardCharsets.UTF_8));
        delivered();
        return Json.tree(new String(answer, StandardCharsets.UTF_8));
    }
}
