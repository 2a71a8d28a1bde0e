package org.territoire.feedback.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An evaluation's author, as others see them: HMAC-SHA256 of the service and the author's id
 * under a key only the function holds, cut to 128 bits. The same person keeps one handle in one
 * service's list (withdrawing and evaluating again gives it back), but handles of two services
 * cannot be linked to each other, nor to the account, without the key. The handle is stored
 * with the evaluation, so rotating the key changes only the handles of evaluations written
 * afterwards.
 */
public final class Pseudonyms {
    private static final String ALGORITHM = "HmacSHA256";
    /** What a handle looks like: 128 bits in unpadded base64url. */
    public static final String HANDLE = "[A-Za-z0-9_-]{22}";

    private final SecretKeySpec key;

    public Pseudonyms(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the pseudonym key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    public String handle(String serviceId, String authorId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            // The separator keeps ("ab", "c") and ("a", "bc") apart.
            byte[] digest = mac.doFinal((serviceId + "\u0000" + authorId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
