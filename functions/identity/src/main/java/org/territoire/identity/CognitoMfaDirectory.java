package org.territoire.identity;

import java.time.Duration;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;

/**
 * AdminGetUser's {@code UserMFASettingList} names the factors the user has enabled; with the
 * pool's MFA OPTIONAL, Cognito challenges every user who has one enabled, so an enabled TOTP
 * means this sign-in passed it.
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
 */
public final class CognitoMfaDirectory implements MfaDirectory {
    static final String TOTP = "SOFTWARE_TOKEN_MFA";
    /**
     * Below Cognito's 5-second wait for a trigger (and the function's timeout), so that a slow
     * call fails the trigger cleanly instead of timing out: Cognito then refuses the sign-in.
     */
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofMillis(1200);

    private final CognitoIdentityProviderClient cognito;

    CognitoMfaDirectory(CognitoIdentityProviderClient cognito) {
        this.cognito = cognito;
    }

    static CognitoMfaDirectory fromEnvironment() {
        return new CognitoMfaDirectory(Aws.configure(CognitoIdentityProviderClient.builder(), "COGNITO_IDENTITY_PROVIDER")
                .httpClient(Aws.httpClient())
                .overrideConfiguration(c -> c.apiCallTimeout(API_CALL_TIMEOUT).apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT))
                .build());
    }

    @Override
    public boolean hasTotp(String userPoolId, String userName) {
        AdminGetUserResponse user = cognito.adminGetUser(r -> r.userPoolId(userPoolId).username(userName));
        return user.hasUserMFASettingList() && user.userMFASettingList().contains(TOTP);
    }
}
