package org.territoire.local.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.ProjectRoot;

/**
 * The whole platform on loopback: the local AWS endpoint with the template's tables, the
 * HTTP API, IoT Core's MQTT broker with the template's rules, EventBridge with the
 * template's event rules, and the template's schedules, all invoking the same in-process
 * functions.
 */
public final class LocalPlatform implements AutoCloseable {

    /** Ports: 0 picks free ones (tests); the run command uses fixed, documented ports. */
    public record Ports(int aws, int api, int mqtt) {
        public static final Ports DEFAULT = new Ports(4599, 3000, 1883);
        public static final Ports ANY = new Ports(0, 0, 0);
    }

    private final LocalAws aws;
    private final LocalIssuer issuer;
    private final HttpApiEmulator api;
    private final IotCoreEmulator iot;
    private final ScheduleEmulator schedules;
    private final EventBridgeEmulator events;
    private final java.util.Optional<LocalUserPool> userPool;
    private final LocalMail mail;
    private final S3NotificationEmulator s3Events;

    private LocalPlatform(LocalAws aws, LocalIssuer issuer, HttpApiEmulator api, IotCoreEmulator iot, ScheduleEmulator schedules,
                          EventBridgeEmulator events, java.util.Optional<LocalUserPool> userPool, LocalMail mail,
                          S3NotificationEmulator s3Events) {
        this.mail = mail;
        this.s3Events = s3Events;
        this.aws = aws;
        this.issuer = issuer;
        this.api = api;
        this.iot = iot;
        this.schedules = schedules;
        this.events = events;
        this.userPool = userPool;
    }

    public static LocalPlatform start(Ports ports) {
        LocalAws aws = ports.aws() == 0 ? LocalAws.shared() : LocalAws.start(ports.aws());
        LocalIssuer issuer = LocalIssuer.loadOrCreate(stateDir());
        FunctionHost functions = new FunctionHost();
        HttpApiEmulator api;
        try {
            api = new HttpApiEmulator(aws.template(), functions, issuer, ports.api());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local HTTP API on port " + ports.api(), e);
        }
        IotCoreEmulator iot = new IotCoreEmulator(aws.template(), functions, ports.mqtt(), stateDir().resolve("mqtt"));
        EventBridgeEmulator events = new EventBridgeEmulator(aws.template(), functions);
        // Functions publish device commands through the local IoT data plane, and events through the local EventBridge.
        // Functions that check bearer tokens themselves (Open311's routes) trust the local issuer.
        org.territoire.shared.config.Env.override(java.util.Map.of("IOT_DATA_ENDPOINT", iot.dataPlaneUrl().toString(),
                "AWS_ENDPOINT_URL_EVENTBRIDGE", events.url().toString(),
                "JWT_ISSUER", LocalIssuer.ISSUER, "JWT_AUDIENCE", LocalIssuer.AUDIENCE,
                "JWT_JWKS_URL", api.url().resolve("/.well-known/jwks.json").toString()));
        // Notification mails go through the local endpoint's SES from a sender verified there; their
        // unsubscribe links name the local HTTP API.
        org.territoire.shared.config.Env.override(java.util.Map.of("API_URL", api.url().toString(),
                "NOTIFICATION_SENDER", LocalMail.SENDER));
        LocalMail mail = new LocalMail(aws.url());
        mail.verifySender(LocalMail.SENDER);
        // The user pool's public API (sign-up, confirmation, sign-in) in front of moto's: port 9229 for the run command.
        var userPool = aws.userPool().map(pool -> new LocalUserPool(pool, issuer, stateDir().resolve("mail").resolve("outbox.txt"),
                ports.api() == 0 ? 0 : 9229));
        // Uploads to the template's buckets invoke their S3-event functions, as S3 does.
        var s3Events = new S3NotificationEmulator(aws, functions);
        return new LocalPlatform(aws, issuer, api, iot, new ScheduleEmulator(aws.template(), functions), events, userPool, mail, s3Events);
    }

    public static Path stateDir() {
        return ProjectRoot.find().resolve(".local");
    }

    public LocalAws aws() {
        return aws;
    }

    public LocalIssuer issuer() {
        return issuer;
    }

    public HttpApiEmulator api() {
        return api;
    }

    public IotCoreEmulator iot() {
        return iot;
    }

    public ScheduleEmulator schedules() {
        return schedules;
    }

    public EventBridgeEmulator events() {
        return events;
    }

    /** The template's S3 event notifications (ObjectCreated), delivered to their functions. */
    public S3NotificationEmulator s3Events() {
        return s3Events;
    }

    /** The local user pool's public API; present when the template has a user pool. */
    public LocalUserPool userPool() {
        return userPool.orElseThrow(() -> new IllegalStateException("the template has no user pool"));
    }

    /** The mails the local SES accepted (notifications). */
    public LocalMail mail() {
        return mail;
    }

    public URI apiUrl() {
        return api.url();
    }

    @Override
    public void close() {
        schedules.close();
        events.close();
        s3Events.close();
        api.close();
        iot.close();
        userPool.ifPresent(LocalUserPool::close);
    }
}
