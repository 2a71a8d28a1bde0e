package org.territoire.shared.iot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Publishes to an MQTT topic through the AWS IoT Data Plane's HTTPS API
 * ({@code POST /topics/{topic}?qos=1}, SigV4 with the signing name {@code iotdata}):
 * https://docs.aws.amazon.com/iot/latest/apireference/API_iotdata_Publish.html.
 * The SDK's iotdataplane client is not served by this project's registry, so the request is
 * signed with the SDK's own signer and sent on the function's light HTTP client.
 * The endpoint is the account's {@code iot:Data-ATS} endpoint (IOT_DATA_ENDPOINT); locally,
 * the local IoT Core's data plane.
 */
public final class IotDataPublisher {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final URI endpoint;
    private final String region;

    public IotDataPublisher(URI endpoint, String region) {
        this.endpoint = endpoint;
        this.region = region;
    }

    /** The publisher of this function, when IOT_DATA_ENDPOINT is configured. */
    public static Optional<IotDataPublisher> fromEnvironment() {
        return Env.get("IOT_DATA_ENDPOINT").map(url -> new IotDataPublisher(URI.create(url), Env.require("AWS_REGION")));
    }

    /** Publishes at QoS 1; throws {@link IotPublishException} when the data plane refuses or cannot be reached. */
    public void publish(String topic, byte[] payload) {
        String path = "/topics/" + URLEncoder.encode(topic, StandardCharsets.UTF_8).replace("+", "%20");
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(endpoint.resolve(path + "?qos=1")).putHeader("Content-Type", "application/json").build();
        try {
            AwsCredentialsIdentity credentials = Aws.credentialsProvider().resolveIdentity().join();
            SignedRequest signed = SIGNER.sign(r -> r.identity(credentials).request(request)
                    .payload(ContentStreamProvider.fromByteArray(payload))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "iotdata")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = Aws.httpClient().prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request()).contentStreamProvider(signed.payload().orElse(null)).build()).call();
            response.responseBody().ifPresent(body -> {
                try {
                    body.close();
                } catch (IOException ignored) {
                    // The answer has no body worth reading.
                }
            });
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                throw new IotPublishException("the IoT data plane answered " + status + " for " + topic);
            }
        } catch (IOException e) {
            throw new IotPublishException("the IoT data plane could not be reached: " + e.getMessage(), new UncheckedIOException(e));
        } catch (SdkClientException e) {
            throw new IotPublishException("no credentials to sign the publish: " + e.getMessage(), e);
        }
    }

    /** A publish that did not reach the broker. */
    public static final class IotPublishException extends RuntimeException {
        public IotPublishException(String message) {
            super(message);
        }

        public IotPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
