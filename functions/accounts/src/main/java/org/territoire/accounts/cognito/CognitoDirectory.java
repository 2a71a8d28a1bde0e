package org.territoire.accounts.cognito;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.territoire.accounts.account.Directory;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Role;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * The user pool through Cognito's admin API, which takes the user's {@code sub} as its username
 * (the pool's usernames are emails, so Cognito names each user by its sub). The function's role may
 * call these actions on this pool only (template.yaml, AccountsFunction).
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminAddUserToGroup.html
 */
public final class CognitoDirectory implements Directory {
    private final java.util.function.Supplier<CognitoIdentityProviderClient> cognito;
    private final String poolId;

    public CognitoDirectory(CognitoIdentityProviderClient cognito, String poolId) {
        this(() -> cognito, poolId);
    }

    /** With a client made on the first call ({@link org.territoire.shared.ddb.LazyClient}): a sweep with nothing expired calls none. */
    public CognitoDirectory(java.util.function.Supplier<CognitoIdentityProviderClient> cognito, String poolId) {
        this.cognito = cognito;
        this.poolId = poolId;
    }

    @Override
    public Optional<Profile> profile(String accountId) {
        try {
            var user = cognito.get().adminGetUser(r -> r.userPoolId(poolId).username(accountId));
            Optional<String> email = user.userAttributes().stream().filter(a -> a.name().equals("email")).map(AttributeType::value)
                    .findFirst();
            Set<Role> roles = EnumSet.noneOf(Role.class);
            cognito.get().adminListGroupsForUser(r -> r.userPoolId(poolId).username(accountId)).groups()
                    .forEach(g -> Role.fromGroup(g.groupName()).ifPresent(roles::add));
            return Optional.of(new Profile(accountId, email, "CONFIRMED".equals(user.userStatusAsString()), roles));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    @Override
    public void addToGroup(String accountId, Role role) {
        call(() -> cognito.get().adminAddUserToGroup(r -> r.userPoolId(poolId).username(accountId).groupName(role.group())));
    }

    @Override
    public void removeFromGroup(String accountId, Role role) {
        call(() -> cognito.get().adminRemoveUserFromGroup(r -> r.userPoolId(poolId).username(accountId).groupName(role.group())));
    }

    @Override
    public void setAttribute(String accountId, String name, String value) {
        call(() -> cognito.get().adminUpdateUserAttributes(r -> r.userPoolId(poolId).username(accountId)
                .userAttributes(AttributeType.builder().name(name).value(value).build())));
    }

    @Override
    public void delete(String accountId) {
        try {
            cognito.get().adminDeleteUser(r -> r.userPoolId(poolId).username(accountId));
        } catch (UserNotFoundException e) {
            // Already deleted: a retried deletion goes on to publish its event.
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    private void call(Runnable action) {
        try {
            action.run();
        } catch (UserNotFoundException e) {
            throw DomainError.notFound("no such account");
        } catch (SdkException e) {
            throw failure(e);
        }
    }

    /** Unreachable or throttled: a 503 the client retries; the rest is a fault, answered 500 and logged. */
    private static RuntimeException failure(SdkException e) {
        if (e instanceof SdkClientException || e instanceof CognitoIdentityProviderException c
                && (c.statusCode() >= 500 || c.isThrottlingException()
                || c instanceof software.amazon.awssdk.services.cognitoidentityprovider.model.TooManyRequestsException)) {
            return StorageException.busy("the user pool is unavailable", e);
        }
        return new IllegalStateException("the user pool refused a call", e);
    }
}
