package org.territoire.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;
import org.territoire.shared.local.LocalContext;

/** The pre token generation trigger: agents and admins get their groups only with TOTP enabled. */
class MfaGuardHandlerTest {
    private final List<String> looked = new ArrayList<>();

    private MfaDirectory directory(Set<String> withTotp) {
        return (pool, user) -> {
            looked.add(pool + "/" + user);
            return withTotp.contains(user);
        };
    }

    private static String event(String user, String... groups) {
        return triggered("TokenGeneration_Authentication", user, groups);
    }

    private static String triggered(String trigger, String user, String... groups) {
        StringBuilder list = new StringBuilder();
        for (String g : groups) {
            list.append(list.isEmpty() ? "" : ",").append('"').append(g).append('"');
        }
        return """
                {"version":"2","triggerSource":"%s","region":"eu-west-3",
                 "userPoolId":"eu-west-3_pool","userName":"%s",
                 "callerContext":{"awsSdkVersion":"aws-sdk","clientId":"client"},
                 "request":{"userAttributes":{"sub":"%s","email":"x@example.org"},
                            "groupConfiguration":{"groupsToOverride":[%s],"iamRolesToOverride":[],"preferredRole":null},
                            "scopes":["aws.cognito.signin.user.admin"]},
                 "response":{"claimsAndScopeOverrideDetails":null}}
                """.formatted(trigger, user, user, list);
    }

    private JsonNode invoke(MfaGuardHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, LocalContext.of("MfaGuardFunction"));
        return Json.tree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> overriddenGroups(JsonNode answer) {
        List<String> groups = new ArrayList<>();
        answer.path("response").path("claimsAndScopeOverrideDetails").path("groupOverrideDetails").path("groupsToOverride")
                .forEach(g -> groups.add(g.asText()));
        return groups;
    }

    @Test
    void anAgentWithoutTotp_getsTokensWithoutTheAgentGroup_butKeepsTheOthers() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of())), event("bob", "agent", "resident"));

        JsonNode override = answer.path("response").path("claimsAndScopeOverrideDetails").path("groupOverrideDetails");
        assertThat(override.path("groupsToOverride").isArray()).isTrue();
        assertThat(overriddenGroups(answer)).containsExactly("resident");
        assertThat(looked).containsExactly("eu-west-3_pool/bob");
        // The rest of the event is what Cognito sent: it reads the same object back.
        assertThat(answer.path("userName").asText()).isEqualTo("bob");
    }

    @Test
    void anAdminWithoutTotp_getsAnEmptyGroupList_notTheGroupsCognitoWouldHaveIssued() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of())), event("carol", "Admin"));

        JsonNode groups = answer.path("response").path("claimsAndScopeOverrideDetails").path("groupOverrideDetails").path("groupsToOverride");
        assertThat(groups.isArray()).isTrue();
        assertThat(groups).isEmpty();
    }

    @Test
    void anAgentWithTotp_keepsEveryGroup_withNoOverride() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of("bob"))), event("bob", "agent", "admin"));

        assertThat(answer.path("response").path("claimsAndScopeOverrideDetails").isNull()).isTrue();
        assertThat(looked).containsExactly("eu-west-3_pool/bob");
    }

    @Test
    void aResident_isNotLookedUp_andKeepsTheTokensAsCognitoIssuesThem() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of())), event("alice", "resident", "provider"));

        assertThat(answer.path("response").path("claimsAndScopeOverrideDetails").isNull()).isTrue();
        assertThat(looked).isEmpty();
    }

    @Test
    void whenThePoolCannotBeRead_theTriggerFails_soCognitoRefusesTheSignIn() {
        MfaGuardHandler handler = new MfaGuardHandler((pool, user) -> {
            throw new IllegalStateException("throttled");
        });

        assertThatThrownBy(() -> invoke(handler, event("bob", "agent"))).hasMessageContaining("throttled");
    }

    @Test
    void refreshedTokens_neverCarryThePrivilegedGroups_evenWithTotpEnrolled() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of("bob"))), triggered("TokenGeneration_RefreshTokens", "bob", "agent", "resident"));

        assertThat(overriddenGroups(answer)).containsExactly("resident");
    }

    @Test
    void aGroupWhoseNameHoldsAPrivilegedWord_isPrivileged_asTheApiReadsIt() throws Exception {
        JsonNode answer = invoke(new MfaGuardHandler(directory(Set.of())), event("dan", "team admin", "ops,agent", "resident"));

        assertThat(overriddenGroups(answer)).containsExactly("resident");
    }

    @Test
    void privilegedGroups_areMatchedWithoutCaseOrSpaces() {
        assertThat(PrivilegedGroups.anyPrivileged(List.of("resident", " AGENT"))).isTrue();
        assertThat(PrivilegedGroups.anyPrivileged(List.of("resident", "provider"))).isFalse();
        assertThat(PrivilegedGroups.granted(List.of("resident", " AGENT", "admin"), false)).containsExactly("resident");
        assertThat(PrivilegedGroups.granted(List.of("resident", "agent"), true)).containsExactly("resident", "agent");
    }
}
