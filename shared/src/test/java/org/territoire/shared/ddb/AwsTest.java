package org.territoire.shared.ddb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.config.Env;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Tag("unit")
class AwsTest {
    @AfterEach
    void clear() {
        Env.clearOverrides();
    }

    @Test
    void everyCall_givesUpBeforeTheFunctionTimesOut() {
        Env.override(Map.of("AWS_REGION", "eu-west-3", "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s"));
        try (DynamoDbClient client = Aws.dynamoDb()) {
            var config = client.serviceClientConfiguration().overrideConfiguration();

            assertThat(config.apiCallAttemptTimeout()).contains(Duration.ofSeconds(2));
            assertThat(config.apiCallTimeout()).contains(Duration.ofSeconds(6));
        }
    }

    @Test
    void theTimeouts_canBeChanged_forTheLocalEndpoint() {
        Env.override(Map.of("AWS_REGION", "eu-west-3", "SDK_CALL_TIMEOUT_MS", "120000", "SDK_ATTEMPT_TIMEOUT_MS", "60000"));
        try (DynamoDbClient client = Aws.dynamoDb()) {
            assertThat(client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout()).contains(Duration.ofMinutes(2));
        }
    }
}
