package org.territoire.shared.ddb;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.territoire.shared.config.Env;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The key that signs pagination tokens. In AWS it is a generated Secrets Manager secret
 * (PAGINATION_SECRET_ARN), read once at init; locally the runtime passes PAGINATION_KEY.
 * No key is ever committed.
 */
public final class PaginationKey {
    private PaginationKey() {
    }

    public static PageTokens load() {
        return Env.get("PAGINATION_KEY")
                .map(b64 -> new PageTokens(Base64.getDecoder().decode(b64)))
                .orElseGet(() -> {
                    String arn = Env.require("PAGINATION_SECRET_ARN");
                    try (SecretsManagerClient sm = Aws.configure(SecretsManagerClient.builder(), "SECRETS_MANAGER")
                            .httpClient(Aws.httpClient()).build()) {
                        String secret = sm.getSecretValue(r -> r.secretId(arn)).secretString();
                        return new PageTokens(secret.getBytes(StandardCharsets.UTF_8));
                    }
                });
    }
}
