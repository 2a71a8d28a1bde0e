package org.territoire.identity;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.json.Json;
import org.territoire.shared.observability.Logging;
import org.territoire.shared.observability.Observability;

/**
 * The user pool's pre token generation trigger, event version 2 (it overrides the groups of
 * both the ID and the access token: a V1 trigger would leave {@code cognito:groups} in the
 * access token, which the HTTP API's JWT authorizer accepts too).
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 *
 * <p>A member of {@code agent} or {@code admin} without TOTP enabled, or whose tokens are
 * being refreshed (no TOTP challenge then), gets tokens without those groups (metric
 * {@code PrivilegedGroupsWithheld}). If the user pool cannot be read,
 * the handler fails and Cognito refuses the sign-in: it never grants a role it could not check.
 */
public final class MfaGuardHandler implements RequestStreamHandler, org.territoire.shared.observability.EventPriming.Hook {
    private static final Logger LOG = LoggerFactory.getLogger(MfaGuardHandler.class);
    /** Cognito's trigger source when tokens are refreshed rather than issued at sign-in. */
    static final String REFRESH = "TokenGeneration_RefreshTokens";

    private final MfaDirectory directory;

    public MfaGuardHandler() {
        this(CognitoMfaDirectory.fromEnvironment());
        org.territoire.shared.observability.EventPriming.register(this);
    }

    MfaGuardHandler(MfaDirectory directory) {
        this.directory = directory;
    }

    /**
     * SnapStart: a resident's token generation as Cognito sends it (decided without a read, answered as
     * JSON), then the directory's first call, for a user who does not exist (its failure is expected):
     * no group withheld, nothing counted, nothing changed in the pool.
     */
    @Override
    public void prime() {
        org.territoire.shared.observability.EventPriming.prime("""
                {"version":"2","triggerSource":"TokenGeneration_Authentication","region":"eu-west-3","userPoolId":"eu-west-3_priming",
                 "userName":"%s","callerContext":{"awsSdkVersion":"aws-sdk-unknown-unknown","clientId":"priming"},
                 "request":{"userAttributes":{"sub":"priming"},"groupConfiguration":{"groupsToOverride":["resident"],
                 "iamRolesToOverride":[],"preferredRole":null},"scopes":["openid"]},"response":{"claimsAndScopeOverrideDetails":null}}"""
                .formatted(org.territoire.shared.observability.EventPriming.ABSENT),
                this::decide, event -> directory.hasTotp(event.path("userPoolId").asText(), event.path("userName").asText()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.tree(input);
        JsonNode answer = Logging.withLogging(context, () -> {
            try {
                return decide(event);
            } finally {
                Observability.flush();
            }
        });
        output.write(Json.MAPPER.writeValueAsBytes(answer));
    }

    /** The event with its response filled in: Cognito reads the same object back. */
    JsonNode decide(JsonNode event) {
        ObjectNode answer = event.deepCopy();
        List<String> groups = new ArrayList<>();
        event.path("request").path("groupConfiguration").path("groupsToOverride").forEach(g -> groups.add(g.asText()));
        if (!PrivilegedGroups.anyPrivileged(groups)) {
            return answer; // no override: Cognito issues the tokens as they are
        }
        String pool = event.path("userPoolId").asText();
        String user = event.path("userName").asText();
        if (pool.isEmpty() || user.isEmpty()) {
            throw new IllegalArgumentException("pre token generation event without userPoolId or userName");
        }
        // A refresh passes no TOTP challenge: the role comes only with a sign-in that did.
        boolean refresh = REFRESH.equals(event.path("triggerSource").asText());
        boolean hasMfa = !refresh && directory.hasTotp(pool, user);
        if (hasMfa) {
            return answer;
        }
        List<String> granted = PrivilegedGroups.granted(groups, false);
        LOG.warn("privileged groups withheld: user {} {} (trigger {})", user, refresh ? "refreshed without signing in" : "has no TOTP enabled",
                event.path("triggerSource").asText());
        Observability.count("PrivilegedGroupsWithheld");
        ObjectNode overrides = answer.withObjectProperty("response")
                .putObject("claimsAndScopeOverrideDetails").putObject("groupOverrideDetails");
        ArrayNode list = overrides.putArray("groupsToOverride");
        granted.forEach(list::add);
        // The pool maps no IAM roles to groups; pass on whatever Cognito sent for them.
        JsonNode roles = event.path("request").path("groupConfiguration").path("iamRolesToOverride");
        if (roles.isArray()) {
            overrides.set("iamRolesToOverride", roles.deepCopy());
        }
        return answer;
    }
}
