package org.territoire.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The cold-start benchmark's floor: the least a Java function that reads DynamoDB can cost.
 * It builds the SDK v2 DynamoDB client as Powertools' own {@code DynamoDBPersistenceStore}
 * does (url-connection HTTP client, credentials from the environment, region from
 * {@code AWS_REGION}; the endpoint from {@code AWS_ENDPOINT_URL}, which the SDK reads itself)
 * and makes one {@code GetItem} per request on the table named by {@code FLOOR_TABLE}.
 */
public final class SdkFloorHandler implements RequestStreamHandler {
    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .httpClient(UrlConnectionHttpClient.builder().build())
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .region(Region.of(System.getenv("AWS_REGION")))
            .build();
    private final String table = System.getenv("FLOOR_TABLE");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        GetItemResponse item = dynamo.getItem(r -> r.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("floor"), "sk", AttributeValue.fromS("floor"))));
        int status = item.hasItem() ? 200 : 404;
        output.write(("{\"statusCode\":" + status + "}").getBytes(StandardCharsets.UTF_8));
    }
}
