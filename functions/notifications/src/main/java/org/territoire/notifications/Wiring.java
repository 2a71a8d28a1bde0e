package org.territoire.notifications;

import java.time.Clock;
import java.time.ZoneId;
import org.territoire.notifications.cognito.CognitoDirectory;
import org.territoire.notifications.delivery.Directory;
import org.territoire.notifications.delivery.Mailer;
import org.territoire.notifications.delivery.NotificationService;
import org.territoire.notifications.preferences.PreferenceService;
import org.territoire.notifications.preferences.UnsubscribeTokens;
import org.territoire.notifications.push.HttpPusher;
import org.territoire.notifications.push.PushEndpoints;
import org.territoire.notifications.push.PushSubscriptionService;
import org.territoire.notifications.push.Pusher;
import org.territoire.notifications.push.VapidKeys;
import org.territoire.notifications.ses.SesMailer;
import org.territoire.notifications.store.DynamoNotificationStore;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The notifications functions' parts, built once from the environment. The unsubscribe key is
 * derived from the pagination secret (Secrets Manager): the function holds no other secret.
 */
public final class Wiring {
    static final String TABLE_VARIABLE = "NOTIFICATIONS_TABLE";

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoNotificationStore store;
    private final UnsubscribeTokens tokens;
    private final Clock clock;
    private final java.util.Optional<VapidKeys> vapid;
    private final PushEndpoints endpoints;

    private Wiring(DynamoDbClient dynamo, String table, UnsubscribeTokens tokens, Clock clock, java.util.Optional<VapidKeys> vapid) {
        this.dynamo = dynamo;
        this.table = table;
        this.store = new DynamoNotificationStore(dynamo, table);
        this.tokens = tokens;
        this.clock = clock;
        this.vapid = vapid;
        // Only the local platform sets PUSH_ALLOW_LOOPBACK (its test push receiver is on 127.0.0.1); the template never does.
        this.endpoints = new PushEndpoints(Env.get("PUSH_ALLOW_LOOPBACK").filter("true"::equals).isPresent());
    }

    public static Wiring fromEnvironment() {
        PageTokens pagination = PaginationKey.load();
        // One DynamoDB client for the store, the idempotency records and the exports.
        return new Wiring(Aws.dynamoDb(), Env.require(TABLE_VARIABLE),
                new UnsubscribeTokens(pagination.derive("notifications/unsubscribe")), Clock.systemUTC(), VapidKeys.fromEnvironment());
    }

    public static Wiring of(DynamoDbClient dynamo, String table, byte[] unsubscribeKey, Clock clock) {
        return new Wiring(dynamo, table, new UnsubscribeTokens(unsubscribeKey), clock, java.util.Optional.empty());
    }

    public static Wiring of(DynamoDbClient dynamo, String table, byte[] unsubscribeKey, Clock clock, VapidKeys vapid) {
        return new Wiring(dynamo, table, new UnsubscribeTokens(unsubscribeKey), clock, java.util.Optional.of(vapid));
    }

    public PushSubscriptionService pushSubscriptions() {
        return new PushSubscriptionService(store, endpoints, vapid, clock);
    }

    /** The Web Push sender, or null while the VAPID secret has no value (push off, mail on). */
    public Pusher pusher() {
        return vapid.map(k -> (Pusher) new HttpPusher(k, endpoints, clock)).orElse(null);
    }

    public PreferenceService preferences() {
        return new PreferenceService(store, tokens, clock);
    }

    public IdempotencyStore idempotency() {
        return new DynamoIdempotencyStore(dynamo, table, clock);
    }

    /** The delivery side: the user pool, SES, the API's unsubscribe route. */
    public NotificationService delivery() {
        // Both built on first use (LazyClient): an event or a digest tick that notifies no one calls neither.
        var cognito = org.territoire.shared.ddb.LazyClient.of(() -> Aws.configure(CognitoIdentityProviderClient.builder(),
                "COGNITO_IDENTITY_PROVIDER").httpClient(Aws.httpClient()).build());
        var ses = org.territoire.shared.ddb.LazyClient.of(() -> Aws.configure(SesV2Client.builder(), "SESV2").httpClient(Aws.httpClient()).build());
        Directory directory = new CognitoDirectory(cognito, Env.require("USER_POOL_ID"));
        // Without a sender (SesSenderEmail empty) the function still starts, and each mail fails loudly
        // into the dead-letter queue until an operator sets one (docs/operations.md).
        Mailer mailer = new SesMailer(ses, Env.getOrDefault("NOTIFICATION_SENDER", ""), Env.getOrDefault("TERRITORY_NAME", "Territoire"));
        return delivery(directory, mailer);
    }

    public NotificationService delivery(Directory directory, Mailer mailer) {
        return new NotificationService(store, store, directory, mailer, ZoneId.of(Env.getOrDefault("TERRITORY_TIME_ZONE", "Europe/Paris")),
                tokens, Env.getOrDefault("API_URL", "https://api.invalid").replaceAll("/+$", "") + "/notifications/unsubscribe", clock,
                store, pusher());
    }

    /** The export part's writer (Account Export Requested): this table's items of the person, to the export bucket. */
    org.territoire.shared.accounts.AccountEventsProcessor accountExports() {
        return accountExports(dynamo, table, org.territoire.shared.accounts.S3ExportSink.fromEnvironment());
    }

    public org.territoire.shared.accounts.AccountEventsProcessor accountExports(DynamoDbClient dynamo, String table,
                                                                                org.territoire.shared.accounts.ExportSink sink) {
        return new org.territoire.shared.accounts.AccountEventsProcessor(
                new org.territoire.notifications.store.NotificationsPersonalData(dynamo, table, store), sink, clock);
    }

    public DynamoNotificationStore store() {
        return store;
    }

    public UnsubscribeTokens tokens() {
        return tokens;
    }

    /** SnapStart priming's read for a function whose every read leads to an effect: a GetItem of no item, on this client. */
    org.territoire.shared.observability.EventPriming.Step absentRead() {
        return event -> org.territoire.shared.observability.EventPriming.getAbsent(dynamo, table);
    }
}
