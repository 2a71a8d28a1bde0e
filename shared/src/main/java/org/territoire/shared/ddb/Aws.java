package org.territoire.shared.ddb;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.territoire.shared.config.Env;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS clients, each built once per function at init. Region and endpoint come from the
 * standard variables (AWS_REGION, AWS_ENDPOINT_URL or the per-service
 * AWS_ENDPOINT_URL_DYNAMODB), so the same code talks to the local endpoint, LocalStack or
 * AWS. The light url-connection HTTP client keeps cold starts short.
 */
public final class Aws {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();

    private static final AwsCredentialsProvider CREDENTIALS = credentials();

    private Aws() {
    }

    public static DynamoDbClient dynamoDb() {
        return configure(DynamoDbClient.builder(), "DYNAMODB").httpClient(HTTP).build();
    }

    public static DynamoDbEnhancedClient enhanced(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }

    public static SdkHttpClient httpClient() {
        return HTTP;
    }

    /**
     * Every call gives up well before the function's timeout (15 s for the API functions), so a
     * slow dependency becomes a 503 the client can retry, not a timed-out invocation: at most
     * {@value #ATTEMPT_TIMEOUT_MS} ms an attempt and {@value #CALL_TIMEOUT_MS} ms a call, retries
     * included. The variables {@code SDK_CALL_TIMEOUT_MS} and {@code SDK_ATTEMPT_TIMEOUT_MS} change
     * them (the local runtime does: its endpoint serves one request at a time, so calls queue).
     * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/timeouts.html
     */
    static final long CALL_TIMEOUT_MS = 6_000;
    static final long ATTEMPT_TIMEOUT_MS = 2_000;

    public static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, String serviceSuffix) {
        builder.region(Region.of(Env.require("AWS_REGION")));
        builder.overrideConfiguration(c -> c
                .apiCallTimeout(Duration.ofMillis(Env.get("SDK_CALL_TIMEOUT_MS").map(Long::parseLong).orElse(CALL_TIMEOUT_MS)))
                .apiCallAttemptTimeout(Duration.ofMillis(Env.get("SDK_ATTEMPT_TIMEOUT_MS").map(Long::parseLong).orElse(ATTEMPT_TIMEOUT_MS))));
        endpoint(serviceSuffix).ifPresent(url -> builder.endpointOverride(URI.create(url)));
        builder.credentialsProvider(CREDENTIALS);
        return builder;
    }

    /** The function's credentials, for requests the SDK has no client for (see IotDataPublisher). */
    public static AwsCredentialsProvider credentialsProvider() {
        return CREDENTIALS;
    }

    static Optional<String> endpoint(String serviceSuffix) {
        return Env.get("AWS_ENDPOINT_URL_" + serviceSuffix).or(() -> Env.get("AWS_ENDPOINT_URL"));
    }

    /**
     * Credentials from the function's environment first (Lambda, or the local runtime's
     * overrides), then the SDK's default chain (container credentials under SnapStart,
     * profiles on a workstation).
     */
    private static AwsCredentialsProvider credentials() {
        AwsCredentialsProvider fromEnv = () -> {
            String id = Env.get("AWS_ACCESS_KEY_ID").orElseThrow(() -> SdkClientException.create("no key in environment"));
            String secret = Env.require("AWS_SECRET_ACCESS_KEY");
            return Env.get("AWS_SESSION_TOKEN")
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(t -> AwsSessionCredentials.create(id, secret, t))
                    .orElseGet(() -> AwsBasicCredentials.create(id, secret));
        };
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(fromEnv, DefaultCredentialsProvider.builder().build())
                .reuseLastProviderEnabled(true)
                .build();
    }
}
