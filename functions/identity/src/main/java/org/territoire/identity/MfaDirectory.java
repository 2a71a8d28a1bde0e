package org.territoire.identity;

/** Where the guard learns whether a user has a second factor: the user pool (AdminGetUser). */
public interface MfaDirectory {

    /** True when the user has TOTP (software token) MFA enabled, so that Cognito challenged it at sign-in. */
    boolean hasTotp(String userPoolId, String userName);
}
