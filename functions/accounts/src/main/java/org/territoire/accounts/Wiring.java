package org.territoire.accounts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.territoire.accounts.account.AccountEvents;
import org.territoire.accounts.account.AccountService;
import org.territoire.accounts.account.Directory;
import org.territoire.accounts.account.ExportParts;
import org.territoire.accounts.cognito.CognitoDirectory;
import org.territoire.accounts.events.EventBridgeAccountEvents;
import org.territoire.accounts.roles.RoleService;
import org.territoire.accounts.s3.S3ExportParts;
import org.territoire.accounts.store.DynamoAccountStore;
import org.territoire.accounts.store.DynamoCensusStore;
import org.territoire.accounts.store.DynamoVerificationStore;
import org.territoire.accounts.verification.Census;
import org.territoire.accounts.verification.CensusStore;
import org.territoire.accounts.verification.PostalCodes;
import org.territoire.accounts.verification.VerificationPolicy;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.LazyClient;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The accounts function's parts, built once from its environment: the table's adapters, the user
 * pool, the bus, the export bucket, and the services over them. Tests build the same graph with
 * {@link #of}, on in-memory ports or on the local endpoint.
 */
public final class Wiring {
    static final String TABLE_VARIABLE = "ACCOUNTS_TABLE";

    private final AccountService accounts;
    private final VerificationService verifications;
    private final RoleService roles;
    private final CensusStore census;
    private final IdempotencyStore idempotency;

    private Wiring(AccountService accounts, VerificationService verifications, RoleService roles, CensusStore census,
                   IdempotencyStore idempotency) {
        this.accounts = accounts;
        this.verifications = verifications;
        this.roles = roles;
        this.census = census;
        this.idempotency = idempotency;
    }

    public static Wiring fromEnvironment() {
        DynamoDbClient dynamo = Aws.dynamoDb();
        String table = Env.require(TABLE_VARIABLE);
        PageTokens tokens = PaginationKey.load();
        Clock clock = Clock.systemUTC();
        CognitoIdentityProviderClient cognito = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER")
                .httpClient(Aws.httpClient()).build();
        // The bus and the bucket's clients are built on first use (LazyClient): most requests publish and export nothing.
        var bus = LazyClient.of(() -> Aws.configure(EventBridgeClient.builder(), "EVENTBRIDGE").httpClient(Aws.httpClient()).build());
        // Path-style addressing: the same code reaches S3 and a local endpoint that serves every bucket on one host.
        boolean pathStyle = Env.get("AWS_ENDPOINT_URL_S3").or(() -> Env.get("AWS_ENDPOINT_URL")).isPresent();
        var s3 = LazyClient.of(() -> Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(pathStyle).build());
        VerificationPolicy policy = new VerificationPolicy(VerificationPolicy.methods(Env.getOrDefault("VERIFICATION_METHODS",
                "CENSUS,POSTAL,IN_PERSON")), Duration.ofDays(days("VERIFICATION_VALIDITY_DAYS", 365)),
                Duration.ofDays(days("POSTAL_CODE_VALIDITY_DAYS", 30)), 5, 5);
        return of(dynamo, table, tokens, censusKey(), new CognitoDirectory(cognito, Env.require("USER_POOL_ID")),
                // What the bus refuses waits in the table's outbox for the sweep; when that fails too, the call fails (its retry publishes).
                new EventBridgeAccountEvents(org.territoire.shared.events.AfterCommit.orThrow(EventBridgeAccountEvents.bus(bus,
                        Env.require("EVENT_BUS_NAME")), new org.territoire.shared.events.DynamoOutbox(dynamo, table), clock)),
                new S3ExportParts(s3, LazyClient.of(Wiring::presigner), Env.require("EXPORT_BUCKET")),
                policy, clock);
    }

    /** The account events the bus refused, kept in the table's OUTBOX partition, which the sweep publishes again. */
    public static org.territoire.shared.events.Outbox outboxFromEnvironment() {
        return new org.territoire.shared.events.DynamoOutbox(Aws.dynamoDb(), Env.require(TABLE_VARIABLE));
    }

    /** The bus the sweep publishes them on again, whose refusals throw; its client is built on the first event. */
    public static org.territoire.shared.events.DomainEvents busFromEnvironment() {
        return EventBridgeAccountEvents.bus(LazyClient.of(() -> Aws.configure(EventBridgeClient.builder(), "EVENTBRIDGE")
                .httpClient(Aws.httpClient()).build()), Env.require("EVENT_BUS_NAME"));
    }

    /**
     * The expiry sweep's parts only: the table's expiry index and the user pool (the sweep's outbox and bus are above). No
     * secret, no bucket: its role holds none of them.
     */
    public static org.territoire.accounts.verification.VerificationExpiry expiryFromEnvironment() {
        // Built on the first expiry (LazyClient): a sweep that finds nothing expired calls no user pool.
        var cognito = LazyClient.of(() -> Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER")
                .httpClient(Aws.httpClient()).build());
        return new org.territoire.accounts.verification.VerificationExpiry(
                new org.territoire.accounts.store.DynamoExpiryStore(Aws.dynamoDb(), Env.require(TABLE_VARIABLE)),
                new CognitoDirectory(cognito, Env.require("USER_POOL_ID")));
    }

    public static Wiring of(DynamoDbClient dynamo, String table, PageTokens tokens, byte[] censusKey, Directory directory,
                            AccountEvents events, ExportParts parts, VerificationPolicy policy, Clock clock) {
        var store = new DynamoVerificationStore(dynamo, table, tokens);
        var census = new DynamoCensusStore(dynamo, table);
        // The codes' hashes are keyed by a key derived from the pagination secret: the function holds one secret besides the census's.
        var verifications = new VerificationService(store, census, new Census(censusKey),
                new PostalCodes(tokens.derive("accounts/postal-codes")), directory, policy, clock);
        var accounts = new AccountService(directory, new DynamoAccountStore(dynamo, table), store, census, events, parts,
                verifications, clock);
        return new Wiring(accounts, verifications, new RoleService(directory, new org.territoire.accounts.store.DynamoRoleLedger(dynamo, table), clock), census,
                new DynamoIdempotencyStore(dynamo, table, clock));
    }

    /**
     * The census key: in AWS a generated Secrets Manager secret (CENSUS_SECRET_ARN), read once at
     * init, which the territory's office also reads to hash its register (docs/operations.md);
     * locally the runtime passes CENSUS_KEY (base64), made for the run.
     */
    static byte[] censusKey() {
        return Env.get("CENSUS_KEY").map(b64 -> Base64.getDecoder().decode(b64)).orElseGet(() -> {
            try (SecretsManagerClient sm = Aws.configure(SecretsManagerClient.builder(), "SECRETS_MANAGER")
                    .httpClient(Aws.httpClient()).build()) {
                return sm.getSecretValue(r -> r.secretId(Env.require("CENSUS_SECRET_ARN"))).secretString()
                        .getBytes(StandardCharsets.UTF_8);
            }
        });
    }

    /** Presigned links to the export bucket, from the same region, endpoint and credentials as the S3 client. */
    private static software.amazon.awssdk.services.s3.presigner.S3Presigner presigner() {
        var builder = software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
                .region(software.amazon.awssdk.regions.Region.of(Env.require("AWS_REGION")))
                .credentialsProvider(Aws.credentialsProvider());
        var endpoint = Env.get("AWS_ENDPOINT_URL_S3").or(() -> Env.get("AWS_ENDPOINT_URL"));
        endpoint.ifPresent(url -> builder.endpointOverride(java.net.URI.create(url)));
        builder.serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                .pathStyleAccessEnabled(endpoint.isPresent()).build());
        return builder.build();
    }

    private static long days(String variable, long fallback) {
        String raw = Env.getOrDefault(variable, Long.toString(fallback)).strip();
        if (!raw.matches("\\d{1,5}") || Long.parseLong(raw) < 1) {
            throw new IllegalStateException(variable + " must be a whole number of days, at least 1");
        }
        return Long.parseLong(raw);
    }

    public AccountService accounts() {
        return accounts;
    }

    public VerificationService verifications() {
        return verifications;
    }

    public RoleService roles() {
        return roles;
    }

    public CensusStore census() {
        return census;
    }

    public IdempotencyStore idempotency() {
        return idempotency;
    }
}
