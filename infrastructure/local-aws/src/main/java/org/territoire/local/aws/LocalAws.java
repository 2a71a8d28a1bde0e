package org.territoire.local.aws;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The AWS side of a local run: an endpoint (the project's own, started here, or any other
 * named by TERRITOIRE_AWS_ENDPOINT, such as LocalStack) with every table of template.yaml.
 * Tests share one per JVM through {@link #shared()}.
 */
public final class LocalAws implements AutoCloseable {
    public static final String EXTERNAL_ENDPOINT = "TERRITOIRE_AWS_ENDPOINT";
    public static final String REGION = "eu-west-3";

    private static LocalAws shared;

    private final Optional<LocalAwsEndpoint> process;
    private final URI url;
    private final DynamoDbClient dynamo;
    private final SamTemplate template;
    private final List<String> tables;
    private final Map<String, String> environment;

    private LocalAws(Optional<LocalAwsEndpoint> process, URI url, SamTemplate template) {
        this.process = process;
        this.url = url;
        this.template = template;
        this.environment = new LinkedHashMap<>(environmentFor(url));
        Env.override(environment);
        this.dynamo = Aws.dynamoDb();
        this.tables = new TableProvisioner(dynamo).createAll(template);
        IotPolicies.createAll(template);
        // The user pool and the buckets: their local ids replace the template's references in the functions' variables.
        this.userPool = UserPools.create(template);
        userPool.ifPresent(p -> environment.putAll(UserPools.environment(template, p)));
        environment.putAll(Buckets.createAll(template));
        Env.override(environment);
    }

    private final Optional<UserPools.Pool> userPool;

    /** The template's user pool as made in the local endpoint (empty when the template has none). */
    public Optional<UserPools.Pool> userPool() {
        return userPool;
    }

    /** Starts (or joins) the endpoint on this port (0 for any) and creates the tables. */
    public static LocalAws start(int port) {
        SamTemplate template = SamTemplate.load();
        Optional<String> external = Optional.ofNullable(System.getenv(EXTERNAL_ENDPOINT)).filter(s -> !s.isBlank());
        if (external.isPresent()) {
            return new LocalAws(Optional.empty(), URI.create(external.get()), template);
        }
        LocalAwsEndpoint endpoint = LocalAwsEndpoint.start(ProjectRoot.find(), port);
        return new LocalAws(Optional.of(endpoint), endpoint.url(), template);
    }

    /** One endpoint per test JVM, started on first use. */
    public static synchronized LocalAws shared() {
        if (shared == null) {
            shared = start(0);
        }
        return shared;
    }

    /**
     * What the functions' environment holds locally: the endpoint, a region, dummy
     * credentials, a pagination key made for this run, and each table variable of
     * template.yaml mapped to its local table.
     */
    private Map<String, String> environmentFor(URI endpoint) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ENDPOINT_URL", endpoint.toString());
        env.put("AWS_REGION", Optional.ofNullable(System.getenv("AWS_REGION")).orElse(REGION));
        env.put("AWS_ACCESS_KEY_ID", Optional.ofNullable(System.getenv("AWS_ACCESS_KEY_ID")).orElse("local"));
        env.put("AWS_SECRET_ACCESS_KEY", Optional.ofNullable(System.getenv("AWS_SECRET_ACCESS_KEY")).orElse("local"));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        env.put("PAGINATION_KEY", Base64.getEncoder().encodeToString(key));
        env.put("AWS_EMF_ENVIRONMENT", "Local");
        // The local endpoint serves one request at a time: under a test's concurrent load a call
        // waits its turn for longer than AWS would ever make it wait.
        env.put("SDK_CALL_TIMEOUT_MS", "120000");
        env.put("SDK_ATTEMPT_TIMEOUT_MS", "60000");
        // The functions' variables, but not those that name a template parameter (an account's
        // endpoint, say), nor a !Sub of another resource's attribute (the web client's CloudFront
        // domain): those are set by whatever stands in for them locally (WebClientServer sets
        // WEB_CLIENT_URL), or stay unset.
        java.util.Set<String> parameters = new java.util.HashSet<>();
        template.root().path("Parameters").fieldNames().forEachRemaining(parameters::add);
        for (SamTemplate.Function function : template.functions()) {
            function.environment().forEach((name, value) -> {
                if (!name.startsWith("POWERTOOLS_SERVICE") && !parameters.contains(value) && !value.matches(".*\\$\\{[A-Za-z0-9]+\\.[A-Za-z]+}.*")) {
                    env.putIfAbsent(name, value);
                }
            });
        }
        env.remove("PAGINATION_SECRET_ARN");
        // The census key (CensusSecret in AWS): made for the run, like the pagination key.
        byte[] census = new byte[32];
        new SecureRandom().nextBytes(census);
        env.put("CENSUS_KEY", Base64.getEncoder().encodeToString(census));
        env.remove("CENSUS_SECRET_ARN");
        // The VAPID key pair (VapidSecret in AWS, put there by an operator): made for the run.
        env.put("VAPID_KEY", localVapidKey());
        env.remove("VAPID_SECRET_ARN");
        // Lets a push go to the tests' receiver on 127.0.0.1 over http; never set in AWS (PushEndpoints).
        env.put("PUSH_ALLOW_LOOPBACK", "true");
        return env;
    }

    /** {@code {"publicKey", "privateKey", "subject"}}, base64url: the VapidSecret's shape (docs/operations.md). */
    private static String localVapidKey() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.KeyPair pair = g.generateKeyPair();
            java.security.interfaces.ECPublicKey pub = (java.security.interfaces.ECPublicKey) pair.getPublic();
            byte[] point = new byte[65];
            point[0] = 4;
            fixed(pub.getW().getAffineX(), point, 1);
            fixed(pub.getW().getAffineY(), point, 33);
            byte[] d = new byte[32];
            fixed(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(), d, 0);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return "{\"publicKey\":\"" + b64.encodeToString(point) + "\",\"privateKey\":\"" + b64.encodeToString(d)
                    + "\",\"subject\":\"mailto:operations@example.org\"}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fixed(java.math.BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0;
        System.arraycopy(b, skip, out, at + 32 - (b.length - skip), b.length - skip);
    }

    public URI url() {
        return url;
    }

    /**
     * The faults of the project's own endpoint; empty against another endpoint (LocalStack, say),
     * which has no such switch: tests that need faults skip there.
     */
    public Optional<Faults> faults() {
        return process.map(p -> new Faults(url));
    }

    public DynamoDbClient dynamoDb() {
        return dynamo;
    }

    public SamTemplate template() {
        return template;
    }

    public List<String> tables() {
        return tables;
    }

    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    @Override
    public void close() {
        dynamo.close();
        process.ifPresent(LocalAwsEndpoint::close);
    }
}
