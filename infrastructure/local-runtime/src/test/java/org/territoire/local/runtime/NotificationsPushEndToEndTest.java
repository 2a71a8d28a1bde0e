package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Web Push end to end (issue 18): a resident subscribes a browser (a key pair made here) over the
 * local HTTP API, an agent moves their report, and the notifications function sends the mail AND
 * a push that {@link LocalPushReceiver} accepts only with a valid VAPID token and decrypts, as a
 * browser would, to the mail's subject. A 410 from the push service deletes the subscription.
 */
class NotificationsPushEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static LocalPushReceiver receiver;
    private static CognitoIdentityProviderClient pool;
    private static String agent;
    private static String service;

    private record Person(String sub, String email, String token) {
    }

    @BeforeAll
    static void start() throws Exception {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        receiver = new LocalPushReceiver();
        pool = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build();
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-push", "agent").ofOrganisation("mairie"));
        service = send("POST", "/services", agent, """
                {"name":"Voirie %s","kind":"PEER","category":"service-sharing","organisationId":"mairie","districts":["centre"],
                 "location":{"latitude":45.76,"longitude":4.83}}""".formatted(UUID.randomUUID()), 201).path("id").asText();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        pool.close();
        platform.close();
    }

    @Test
    void aStatusChange_sendsTheMailAndAPushTheBrowserDecrypts_andA410DeletesTheSubscription() throws Exception {
        Person author = person();
        LocalPushReceiver.Browser browser = receiver.browser();
        JsonNode subscribed = send("POST", "/me/notifications/push-subscriptions", author.token(), browser.json(), 201);
        assertThat(subscribed.path("endpointOrigin").asText()).isEqualTo(receiver.origin());
        assertThat(subscribed.toString()).doesNotContain(LocalPushReceiver.b64(browser.auth));
        // The same browser again: its keys renewed, still one subscription.
        assertThat(send("POST", "/me/notifications/push-subscriptions", author.token(), browser.json(), 200).path("id").asText())
                .isEqualTo(subscribed.path("id").asText());
        String vapid = send("GET", "/notifications/vapid-public-key", null, null, 200).path("publicKey").asText();

        String report = send("POST", "/reports", author.token(), """
                {"serviceId":"%s","description":"Lampadaire éteint rue Centrale","latitude":45.7601,"longitude":4.8301}"""
                .formatted(service), 201).path("id").asText();
        delivered();
        moved(report, "ACKNOWLEDGED");

        assertThat(platform.mail().sentTo(author.email())).hasSize(1);
        String subject = platform.mail().sentTo(author.email()).get(0).subject();
        assertThat(receiver.refusals).isEmpty();
        List<LocalPushReceiver.Received> pushes = browser.received();
        assertThat(pushes).hasSize(1);
        JsonNode payload = Json.tree(pushes.get(0).plaintext());
        assertThat(payload.path("title").asText()).isEqualTo(subject).isEqualTo("Votre signalement a changé d'état : pris en compte");
        assertThat(pushes.get(0).plaintext()).doesNotContain(author.email()).doesNotContain(author.sub());
        assertThat(pushes.get(0).ttl()).isEqualTo("86400");
        assertThat(pushes.get(0).urgency()).isEqualTo("normal");
        assertThat(receiver.vapidPublicKey).as("the key the web client subscribes with signs the pushes").isEqualTo(vapid);

        // The browser withdrew the subscription: the push service answers 410, the subscription goes, the mail still does.
        browser.answer = 410;
        moved(report, "IN_PROGRESS");
        assertThat(platform.mail().sentTo(author.email())).hasSize(2);
        assertThat(pushItems(author)).as("the subscription after a 410").isEmpty();
        assertThat(platform.events().deadLetters()).isEmpty();
        browser.answer = 201;
        moved(report, "RESOLVED");
        assertThat(browser.received()).as("nothing goes to a deleted subscription").hasSize(1);
        assertThat(request("DELETE", "/me/notifications/push-subscriptions/" + subscribed.path("id").asText(), author.token(), null)
                .statusCode()).isEqualTo(404);
    }

    @Test
    void subscriptions_areStrictlyChecked_namingTheField_andEndpointsInsideTheNetworkAreRefused() throws Exception {
        Person p = person();
        String key = LocalPushReceiver.b64(LocalPushReceiver.raw((java.security.interfaces.ECPublicKey) receiver.browser().keys.getPublic()));
        String auth = "BTBZMqHH6r4Tts7J_aSIgg";
        Map<String, String> refused = Map.of(
                "{\"endpoint\":\"https://169.254.169.254/latest/meta-data\",\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"" + auth + "\"}}", "endpoint",
                "{\"endpoint\":\"https://10.1.2.3/push\",\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"" + auth + "\"}}", "endpoint",
                "{\"endpoint\":\"ftp://push.example.org/x\",\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"" + auth + "\"}}", "endpoint",
                "{\"endpoint\":\"" + receiver.origin() + "/push/x\",\"keys\":{\"p256dh\":\"" + key.substring(0, 80) + "AAAAAAA\",\"auth\":\"" + auth + "\"}}", "keys.p256dh",
                "{\"endpoint\":\"" + receiver.origin() + "/push/x\",\"keys\":{\"p256dh\":\"" + key + "\",\"auth\":\"AAAA\"}}", "keys.auth");
        for (var e : refused.entrySet()) {
            HttpResponse<String> bad = request("POST", "/me/notifications/push-subscriptions", p.token(), e.getKey());
            assertThat(bad.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(bad.body()).contains(e.getValue()).doesNotContain("169.254").doesNotContain("10.1.2.3");
        }
        assertThat(pushItems(p)).isEmpty();
        assertThat(request("POST", "/me/notifications/push-subscriptions", null, receiver.browser().json()).statusCode()).isEqualTo(401);
    }

    @Test
    void atMostFiveBrowsersPerPerson_evenWhenTenSubscribeAtOnce_andRemovingOneFreesAPlace() throws Exception {
        Person p = person();
        List<LocalPushReceiver.Browser> browsers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            browsers.add(receiver.browser());
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (var b : browsers) {
            answers.add(pool.submit((Callable<HttpResponse<String>>) () -> request("POST", "/me/notifications/push-subscriptions", p.token(), b.json())));
        }
        List<String> created = new ArrayList<>();
        int full = 0;
        for (var a : answers) {
            HttpResponse<String> r = a.get();
            if (r.statusCode() == 201) {
                created.add(Json.tree(r.body()).path("id").asText());
            } else {
                assertThat(r.statusCode()).as(r.body()).isIn(422, 503);
                full += r.statusCode() == 422 ? 1 : 0;
            }
        }
        pool.shutdown();
        assertThat(created).hasSize(5);
        assertThat(full).isPositive();
        assertThat(pushItems(p)).hasSize(5);

        assertThat(request("DELETE", "/me/notifications/push-subscriptions/" + created.get(0), p.token(), null).statusCode()).isEqualTo(204);
        Person other = person();
        assertThat(request("DELETE", "/me/notifications/push-subscriptions/" + created.get(1), other.token(), null).statusCode())
                .as("another person's subscription").isEqualTo(404);
        assertThat(request("POST", "/me/notifications/push-subscriptions", p.token(), receiver.browser().json()).statusCode()).isEqualTo(201);
        assertThat(request("POST", "/me/notifications/push-subscriptions", p.token(), receiver.browser().json()).statusCode()).isEqualTo(422);
    }

    // ------------------------------------------------------------------ helpers

    private static Person person() {
        String email = "pushed-" + UUID.randomUUID() + "@example.org";
        var user = pool.adminCreateUser(r -> r.userPoolId(platform.userPool().poolId()).username(email)
                .userAttributes(AttributeType.builder().name("email").value(email).build(),
                        AttributeType.builder().name("email_verified").value("true").build())
                .messageAction(MessageActionType.SUPPRESS)).user();
        String sub = user.attributes().stream().filter(a -> a.name().equals("sub")).findFirst().orElseThrow().value();
        return new Person(sub, email, platform.issuer().mint(LocalIssuer.User.of(sub, "resident").inDistrict("centre")));
    }

    private static void moved(String report, String status) throws Exception {
        send("POST", "/reports/" + report + "/status", agent, "{\"status\":\"" + status + "\"}", 200);
        delivered();
    }

    private static void delivered() throws InterruptedException {
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(60))).isTrue();
    }

    private static List<Map<String, AttributeValue>> pushItems(Person p) {
        String table = platform.aws().environment().get("NOTIFICATIONS_TABLE");
        return platform.aws().dynamoDb().query(r -> r.tableName(table).keyConditionExpression("pk = :p AND begins_with(sk, :s)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PERSON#" + p.sub()), ":s", AttributeValue.fromS("PUSH#")))).items();
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
}
