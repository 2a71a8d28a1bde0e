package org.territoire.notifications.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.interfaces.ECPrivateKey;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The application server's VAPID key pair (RFC 8292) and contact. In AWS: the VapidSecret
 * (VAPID_SECRET_ARN), which Secrets Manager cannot generate (it makes passwords, not EC keys):
 * an operator puts its value once (docs/operations.md); until then it has no value and push is
 * off, mail goes on. Locally the platform makes a pair for the run and passes it as VAPID_KEY.
 * The value: {@code {"publicKey": b64url(65-byte point), "privateKey": b64url(32-byte d), "subject": "mailto:..."}}.
 */
public record VapidKeys(byte[] publicKey, ECPrivateKey privateKey, String subject) {
    private static final Logger LOG = LoggerFactory.getLogger(VapidKeys.class);

    public static Optional<VapidKeys> fromEnvironment() {
        Optional<String> local = Env.get("VAPID_KEY");
        if (local.isPresent()) {
            return Optional.of(parse(local.get()));
        }
        Optional<String> arn = Env.get("VAPID_SECRET_ARN").filter(a -> !a.isBlank());
        if (arn.isEmpty()) {
            return Optional.empty();
        }
        try (SecretsManagerClient sm = Aws.configure(SecretsManagerClient.builder(), "SECRETS_MANAGER").httpClient(Aws.httpClient()).build()) {
            String value = sm.getSecretValue(r -> r.secretId(arn.get())).secretString();
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
            // The secret exists but has no value yet: the operator step is not done.
            LOG.warn("push is off: the VAPID secret has no value yet (docs/operations.md, Web Push)");
            return Optional.empty();
        } catch (SdkException e) {
            LOG.warn("push is off: the VAPID secret cannot be read ({})", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    public static VapidKeys parse(String json) {
        try {
            JsonNode n = new ObjectMapper().readTree(json);
            byte[] pub = WebPushCrypto.unb64(n.path("publicKey").asText(null));
            byte[] d = WebPushCrypto.unb64(n.path("privateKey").asText(null));
            String subject = n.path("subject").asText("");
            if (!WebPushCrypto.isP256Point(pub) || d == null || d.length != 32) {
                throw new IllegalArgumentException("the VAPID secret's keys are not a P-256 pair in base64url");
            }
            if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
                throw new IllegalArgumentException("the VAPID secret's subject must be a mailto: or https: contact (RFC 8292 §2.1)");
            }
            return new VapidKeys(pub, WebPushCrypto.privateKey(d), subject);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the VAPID secret is not JSON");
        }
    }

    public String publicKeyText() {
        return WebPushCrypto.b64(publicKey);
    }
}
