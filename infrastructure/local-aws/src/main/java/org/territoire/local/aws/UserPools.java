package org.territoire.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameAttributeType;

/**
 * The template's user pool in the local endpoint (moto's cognito-idp): its username attributes,
 * custom attributes, app client (auth flows, read and write attributes) and groups, made from
 * template.yaml itself. What moto does not enforce of the client (its write attributes, the
 * emailed code) the local user pool front does (infrastructure/local-runtime, LocalUserPool).
 */
public final class UserPools {
    /** The pool as made: its id, the client's id, and the client's settings that the front enforces. */
    public record Pool(String poolId, String clientId, List<String> authFlows, List<String> readAttributes,
                       List<String> writeAttributes, boolean selfSignUp) {
    }

    private UserPools() {
    }

    public static Optional<Pool> create(SamTemplate template) {
        JsonNode resources = template.root().path("Resources");
        String poolLogicalId = null;
        for (var e : resources.properties()) {
            if ("AWS::Cognito::UserPool".equals(e.getValue().path("Type").asText())) {
                poolLogicalId = e.getKey();
            }
        }
        if (poolLogicalId == null) {
            return Optional.empty();
        }
        JsonNode pool = resources.path(poolLogicalId).path("Properties");
        try (CognitoIdentityProviderClient cognito = Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER")
                .httpClient(Aws.httpClient()).build()) {
            List<SchemaAttributeType> schema = new ArrayList<>();
            pool.path("Schema").forEach(a -> schema.add(SchemaAttributeType.builder().name(a.path("Name").asText())
                    .attributeDataType(AttributeDataType.fromValue(a.path("AttributeDataType").asText("String")))
                    .mutable(a.path("Mutable").asBoolean(true)).build()));
            List<UsernameAttributeType> usernames = new ArrayList<>();
            pool.path("UsernameAttributes").forEach(u -> usernames.add(UsernameAttributeType.fromValue(u.asText())));
            String poolId = cognito.createUserPool(r -> r.poolName("territoire-local-users").schema(schema)
                    .usernameAttributes(usernames).autoVerifiedAttributesWithStrings(texts(pool.path("AutoVerifiedAttributes")))
                    .usernameConfiguration(c -> c.caseSensitive(pool.path("UsernameConfiguration").path("CaseSensitive").asBoolean(false))))
                    .userPool().id();
            JsonNode client = null;
            for (var e : resources.properties()) {
                if ("AWS::Cognito::UserPoolClient".equals(e.getValue().path("Type").asText())) {
                    client = e.getValue().path("Properties");
                }
                if ("AWS::Cognito::UserPoolGroup".equals(e.getValue().path("Type").asText())) {
                    String group = e.getValue().path("Properties").path("GroupName").asText();
                    cognito.createGroup(r -> r.userPoolId(poolId).groupName(group));
                }
            }
            JsonNode c = client == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : client;
            String clientId = cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName(c.path("ClientName").asText("local"))
                    .explicitAuthFlowsWithStrings(texts(c.path("ExplicitAuthFlows")))
                    .readAttributes(texts(c.path("ReadAttributes"))).writeAttributes(texts(c.path("WriteAttributes"))))
                    .userPoolClient().clientId();
            boolean selfSignUp = !pool.path("AdminCreateUserConfig").path("AllowAdminCreateUserOnly").asBoolean(false);
            return Optional.of(new Pool(poolId, clientId, texts(c.path("ExplicitAuthFlows")), texts(c.path("ReadAttributes")),
                    texts(c.path("WriteAttributes")), selfSignUp));
        }
    }

    /** The variables naming the pool: {@code !Ref UserPool} in the template becomes the local pool's id. */
    public static Map<String, String> environment(SamTemplate template, Pool pool) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            f.environment().forEach((name, value) -> {
                if (value.equals("UserPool")) {
                    env.put(name, pool.poolId());
                } else if (value.equals("UserPoolClient")) {
                    env.put(name, pool.clientId());
                }
            });
        }
        return env;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
