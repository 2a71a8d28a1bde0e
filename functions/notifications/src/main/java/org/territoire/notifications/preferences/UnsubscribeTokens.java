package org.territoire.notifications.preferences;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token an email's unsubscribe link carries: the account and the kind, signed with
 * HMAC-SHA256 under a key derived from the pagination secret (Secrets Manager), so that the
 * anonymous route can trust it and nobody can forge one for someone else. It names the
 * account's pseudonymous id, never its email. It does not expire: a mail read months later must
 * still unsubscribe (RFC 8058 section 3.2 asks the link to keep working).
 */
public final class UnsubscribeTokens {
    private static final String VERSION = "u1";
    private final byte[] key;

    public UnsubscribeTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("an unsubscribe key has at least 256 bits");
        }
        this.key = key.clone();
    }

    public record Subject(String accountId, Kind kind) {
    }

    public String sign(String accountId, Kind kind) {
        String payload = VERSION + "." + b64((accountId + "\n" + kind.name()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + b64(mac(payload));
    }

    /** The subject of a genuine token; empty for anything else. */
    public Optional<Subject> verify(String token) {
        if (token == null || token.length() > 512) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            byte[] given = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(given, mac(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            String[] subject = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).split("\n", -1);
            return subject.length == 2 ? Optional.of(new Subject(subject[0], Kind.valueOf(subject[1]))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
