package org.territoire.feedback;

import java.time.Clock;
import java.time.Duration;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.evaluation.EvaluationService;
import org.territoire.feedback.evaluation.Pseudonyms;
import org.territoire.feedback.open311.BearerTokens;
import org.territoire.feedback.open311.ClientKeys;
import org.territoire.feedback.open311.JwksBearerTokens;
import org.territoire.feedback.open311.Open311Api;
import org.territoire.feedback.photo.DynamoPhotoRepository;
import org.territoire.feedback.photo.PhotoService;
import org.territoire.feedback.photo.S3PhotoStorage;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.store.DynamoClientKeyRepository;
import org.territoire.feedback.store.DynamoEvaluationRepository;
import org.territoire.feedback.store.DynamoReportRepository;
import org.territoire.feedback.store.DynamoServiceRepository;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The feedback function's parts, built once from its environment: one DynamoDB client for the
 * table's adapters and the idempotency records, the services over them, and the Open311 edge.
 * Tests build the same graph against the local endpoint with {@link #of}.
 */
public final class Wiring {
    static final String TABLE_VARIABLE = "FEEDBACK_TABLE";
    static final String CONTACT_RETENTION_VARIABLE = "CONTACT_RETENTION_DAYS";

    private final CatalogueService catalogue;
    private final EvaluationService evaluations;
    private final ReportService reports;
    private final ClientKeys clientKeys;
    private final Open311Api open311;
    private final IdempotencyStore idempotency;
    private final PhotoService photos;
    private final org.territoire.feedback.loop.LoopService loop;

    private Wiring(CatalogueService catalogue, EvaluationService evaluations, ReportService reports, ClientKeys clientKeys,
                   Open311Api open311, IdempotencyStore idempotency, PhotoService photos, org.territoire.feedback.loop.LoopService loop) {
        this.photos = photos;
        this.loop = loop;
        this.catalogue = catalogue;
        this.evaluations = evaluations;
        this.reports = reports;
        this.clientKeys = clientKeys;
        this.open311 = open311;
        this.idempotency = idempotency;
    }

    public static Wiring fromEnvironment() {
        String issuer = Env.require("JWT_ISSUER");
        // Used when the first bearer token arrives (the local runtime sets these to its own issuer).
        String jwks = Env.getOrDefault("JWT_JWKS_URL", issuer + "/.well-known/jwks.json");
        // One client for the function's events: the closing loop's and the reports' (territoire.feedback).
        DynamoDbClient dynamo = Aws.dynamoDb();
        // What the bus refuses after a committed write waits in the table's outbox for FeedbackSweepFunction (docs/decisions.md).
        org.territoire.shared.events.DomainEvents events = new org.territoire.shared.events.AfterCommit(
                org.territoire.feedback.loop.LoopWiring.eventsFromEnvironment(),
                new org.territoire.shared.events.DynamoOutbox(dynamo, Env.require(TABLE_VARIABLE)), Clock.systemUTC());
        Wiring wiring = of(dynamo, Env.require(TABLE_VARIABLE), Clock.systemUTC(), PaginationKey.load(),
                new JwksBearerTokens(issuer, Env.require("JWT_AUDIENCE"), jwks),
                contactRetention(Env.get(CONTACT_RETENTION_VARIABLE).orElse(null)),
                events,
                org.territoire.feedback.loop.LoopWiring.checkAfterFromEnvironment());
        // Report events for the notifications capability (territoire.feedback on the territory's bus).
        wiring.reports.publishingTo(new org.territoire.feedback.events.PublishedReportEvents(events,
                new org.territoire.feedback.store.DynamoFollowers(dynamo, Env.require(TABLE_VARIABLE))));
        return wiring;
    }

    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens, BearerTokens bearer) {
        return of(dynamo, table, clock, tokens, bearer, ReportService.DEFAULT_CONTACT_RETENTION);
    }

    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens, BearerTokens bearer,
                            Duration contactRetention) {
        return of(dynamo, table, clock, tokens, bearer, contactRetention, org.territoire.shared.events.DomainEvents.NONE,
                org.territoire.feedback.loop.LoopService.DEFAULT_CHECK_AFTER);
    }

    /** With the bus the closing-loop routes publish on, and the days after a resolution its author is asked. */
    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, PageTokens tokens, BearerTokens bearer,
                            Duration contactRetention, org.territoire.shared.events.DomainEvents events, Duration checkAfter) {
        var catalogue = new CatalogueService(new DynamoServiceRepository(dynamo, table, tokens), clock);
        // Handles are keyed by a key derived from the pagination secret: the function holds one secret.
        var evaluations = new EvaluationService(catalogue, new DynamoEvaluationRepository(dynamo, table, tokens),
                new Pseudonyms(tokens.derive("feedback/evaluation-handles")), clock);
        var reports = new ReportService(catalogue, new DynamoReportRepository(dynamo, table, tokens, clock), clock,
                contactRetention);
        var keys = new ClientKeys(new DynamoClientKeyRepository(dynamo, table), clock);
        var photos = new PhotoService(new DynamoPhotoRepository(dynamo, table), S3PhotoStorage.fromEnvironment(), clock,
                PhotoService.heicFromEnvironment());
        return new Wiring(catalogue, evaluations, reports, keys, new Open311Api(catalogue, reports, keys, bearer, clock)
                .mediaFrom(photos::firstPublished),
                new DynamoIdempotencyStore(dynamo, table, clock), photos,
                org.territoire.feedback.loop.LoopWiring.service(dynamo, table, clock, tokens, events, checkAfter));
    }

    /** {@value #CONTACT_RETENTION_VARIABLE}: whole days a closed report keeps its reporter's contact (default 90). */
    static Duration contactRetention(String configured) {
        if (configured == null) {
            return ReportService.DEFAULT_CONTACT_RETENTION;
        }
        String days = configured.strip();
        if (!days.matches("\\d{1,5}")) {
            throw new IllegalStateException(CONTACT_RETENTION_VARIABLE + " must be a whole number of days");
        }
        return Duration.ofDays(Long.parseLong(days));
    }

    public CatalogueService catalogue() {
        return catalogue;
    }

    public EvaluationService evaluations() {
        return evaluations;
    }

    public ReportService reports() {
        return reports;
    }

    public ClientKeys clientKeys() {
        return clientKeys;
    }

    public Open311Api open311() {
        return open311;
    }

    public IdempotencyStore idempotency() {
        return idempotency;
    }

    public org.territoire.feedback.loop.LoopService loop() {
        return loop;
    }

    public PhotoService photos() {
        return photos;
    }
}
