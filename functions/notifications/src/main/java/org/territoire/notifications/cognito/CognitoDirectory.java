package org.territoire.notifications.cognito;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.territoire.notifications.delivery.Directory;
import org.territoire.shared.ddb.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserNotFoundException;

/**
 * A recipient's address and language from the user pool, read when a mail goes (nothing copied
 * into the notifications table). The function may call AdminGetUser on this pool and nothing else
 * (template.yaml, NotificationEventsFunction). A user the pool no longer has, or one disabled,
 * gets nothing. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html
 */
public final class CognitoDirectory implements Directory {
    private final java.util.function.Supplier<CognitoIdentityProviderClient> cognito;
    private final String poolId;

    public CognitoDirectory(CognitoIdentityProviderClient cognito, String poolId) {
        this(() -> cognito, poolId);
    }

    /** With a client made on the first look-up ({@link org.territoire.shared.ddb.LazyClient}): a digest tick with nothing due looks up no one. */
    public CognitoDirectory(java.util.function.Supplier<CognitoIdentityProviderClient> cognito, String poolId) {
        this.cognito = cognito;
        this.poolId = poolId;
    }

    @Override
    public Optional<Recipient> find(String accountId) {
        try {
            var user = cognito.get().adminGetUser(r -> r.userPoolId(poolId).username(accountId));
            if (Boolean.FALSE.equals(user.enabled())) {
                return Optional.empty();
            }
            Map<String, String> attributes = user.userAttributes().stream()
                    .collect(Collectors.toMap(AttributeType::name, AttributeType::value, (a, b) -> a));
            String email = attributes.get("email");
            // An address not verified may be someone else's: Cognito sends to it only its own codes.
            if (email == null || "false".equals(attributes.get("email_verified"))) {
                return Optional.empty();
            }
            return Optional.of(new Recipient(accountId, email, Optional.ofNullable(attributes.get("locale"))));
        } catch (UserNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StorageException.busy("the user pool is unavailable", e);
        }
    }
}
